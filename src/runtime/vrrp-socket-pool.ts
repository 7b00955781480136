import { VrrpSocket } from '../platform/index.js';
import type { Logger } from '../util/logger.js';
import { dispatchPacket, RunnersByVrid } from './advert-dispatch.js';
import { DiscardLog } from './discard-log.js';
import type { DropCounters } from './drop-counters.js';
import type { InstanceRunner } from './instance-runner.js';

interface Entry {
  socket: VrrpSocket;
  runners: RunnersByVrid;
  /** Multicast groups joined on the socket, with how many instances use each. */
  groups: Map<string, number>;
}

/**
 * One raw VRRP socket per (interface, family), shared by the instances on it. The socket joins exactly the
 * groups its multicast instances use (`vrrp_mcast_group4/6`, `mcast_dst_ip`): with IP(V6)_MULTICAST_ALL off a
 * raw socket hears only the groups it joined itself, so a group nobody joined is never heard. Unicast
 * instances join nothing (as keepalived). Every packet goes through dispatchPacket.
 */
export class VrrpSocketPool {
  private readonly entries = new Map<string, Entry>();
  readonly discards: DiscardLog;

  constructor(
    private readonly drops: DropCounters,
    private readonly log: Logger,
  ) {
    this.discards = new DiscardLog(log);
  }

  /** The socket `runner` sends on; opens it (and joins the runner's group) as needed. */
  attach(runner: InstanceRunner): VrrpSocket {
    const s = runner.settings;
    const key = `${s.ifname}/${s.family}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const socket = VrrpSocket.open({
        family: s.family,
        ifname: s.ifname,
        localAddress: s.primaryAddress,
        joinMulticast: false,
      });
      const runners = new RunnersByVrid();
      socket.onPacket((p) => dispatchPacket(p, runners, this.drops, this.discards));
      socket.onError((e) => this.log.warn('socket receive error', { error: e.message, ifname: s.ifname }));
      entry = { socket, runners, groups: new Map() };
      this.entries.set(key, entry);
    }
    if (s.unicastPeers.length === 0 && !s.faultNoPeer) {
      const users = entry.groups.get(s.multicastGroup) ?? 0;
      if (users === 0) {
        try {
          entry.socket.joinGroup(s.multicastGroup);
        } catch (e) {
          if (entry.runners.size === 0) this.close(key, entry);
          throw e;
        }
      }
      entry.groups.set(s.multicastGroup, users + 1);
    }
    entry.runners.add(runner);
    return entry.socket;
  }

  /** Stops delivering to `runner`; leaves its group when nobody else uses it, closes the socket when unused. */
  detach(runner: InstanceRunner): void {
    const s = runner.settings;
    const key = `${s.ifname}/${s.family}`;
    const entry = this.entries.get(key);
    if (!entry?.runners.delete(runner)) return;
    if (entry.runners.size === 0) {
      this.close(key, entry);
      return;
    }
    if (s.unicastPeers.length > 0 || s.faultNoPeer) return;
    const users = (entry.groups.get(s.multicastGroup) ?? 1) - 1;
    if (users > 0) {
      entry.groups.set(s.multicastGroup, users);
      return;
    }
    entry.groups.delete(s.multicastGroup);
    try {
      entry.socket.leaveGroup(s.multicastGroup);
    } catch (e) {
      this.log.warn('cannot leave multicast group', { group: s.multicastGroup, error: (e as Error).message });
    }
  }

  /** Delivers every advert already queued on any socket (see TimerQueue's late-wake hook). */
  drainPending(): void {
    for (const entry of this.entries.values()) entry.socket.drainPending();
  }

  private close(key: string, entry: Entry): void {
    entry.socket.close();
    this.entries.delete(key);
  }
}
