import type { VirtualIpAddress } from '../config/model.js';
import { addAddress, type LinkMonitor, removeAddress } from '../platform/index.js';
import { canonicalAddress } from '../protocol/index.js';
import type { Logger } from '../util/logger.js';
import { type VipSpec, vipSpec } from './vip-spec.js';
import { ifindexOf } from './vip-watch.js';

/**
 * keepalived's `static_ipaddress` (vrrp_daemon.c, keepalived_netlink.c): the addresses are added when the
 * daemon starts, whatever any instance's state, removed when it stops, and added again when something else
 * deletes one (unless `no_track`). A reload adds what is new and removes what went.
 */
export class StaticAddresses {
  private current: VipSpec[] = [];

  constructor(
    links: LinkMonitor,
    private readonly log: Logger,
  ) {
    links.on('addressRemoved', ({ ifindex, address }) => {
      const key = canonicalAddress(address);
      const gone = this.current.find((a) => !a.noTrack && canonicalAddress(a.address) === key);
      if (!gone || ifindexOf(gone.dev) !== ifindex) return;
      this.log.info('static address deleted from outside; adding it again', { address: gone.cidr, dev: gone.dev });
      this.add(gone);
    });
  }

  apply(addresses: readonly VirtualIpAddress[] = []): void {
    const next = addresses.map((a) => vipSpec(a, a.dev ?? ''));
    const key = (a: VipSpec) => `${a.dev} ${a.cidr} ${JSON.stringify(a.options)}`;
    const wanted = new Set(next.map(key));
    const had = new Set(this.current.map(key));
    for (const a of this.current) if (!wanted.has(key(a))) removeAddress(a.dev, a.cidr);
    for (const a of next) if (!had.has(key(a))) this.add(a);
    this.current = next;
  }

  remove(): void {
    for (const a of this.current) removeAddress(a.dev, a.cidr);
    this.current = [];
  }

  private add(a: VipSpec): void {
    try {
      addAddress(a.dev, a.cidr, a.options);
    } catch (e) {
      // keepalived logs a failed static address and carries on.
      this.log.error('failed to add static address', { address: a.cidr, dev: a.dev, error: (e as Error).message });
    }
  }
}
