import type { Timeline } from '../observers/timeline.js';
import type { AdvertEvent, GarpEvent, ScenarioTimeline, StateEvent, TimelineHost, VrrpState } from './timeline.js';

/** "Master", "MASTER", "Backup", "Initialize"… as the three implementations spell them → one vocabulary. */
export function normalizeState(s: string): VrrpState {
  const u = s.toUpperCase();
  if (u.startsWith('MASTER')) return 'MASTER';
  if (u.startsWith('BACKUP')) return 'BACKUP';
  if (u.startsWith('INIT')) return 'INIT';
  if (u.startsWith('FAULT')) return 'FAULT';
  return 'UNKNOWN';
}

/**
 * The observers' merged Timeline → the scenario's plain record. Packets are attributed to hosts here:
 * adverts by IP source; GARPs by sender hardware address, and a virtual-MAC sender (FRR, quirks Q19 v) to the
 * host whose adverts last came from that MAC.
 */
export function fromObserverTimeline(
  tl: Timeline,
  o: { t0Ms: number; hosts: TimelineHost[]; vips: string[] },
): Omit<ScenarioTimeline, 'faults' | 'steps'> {
  const byIp = new Map<string, string>();
  const byMac = new Map<string, string>();
  for (const h of o.hosts) {
    for (const a of h.addresses) byIp.set(a, h.name);
    if (h.mac) byMac.set(h.mac.toLowerCase(), h.name);
  }
  const lastAdvertHostByMac = new Map<string, string>();
  const adverts: AdvertEvent[] = [];
  const garps: GarpEvent[] = [];
  for (const e of tl.packets()) {
    const mac = e.srcMac.toLowerCase();
    if (e.kind === 'advert') {
      // IPv6 adverts come from the link-local address, which no topology lists: the sender's MAC names it.
      const host = byIp.get(e.src) ?? byMac.get(mac);
      if (host) lastAdvertHostByMac.set(mac, host);
      adverts.push({
        tMs: e.tMs,
        ...(host === undefined ? {} : { host }),
        srcIp: e.src,
        dstIp: e.dst,
        vrid: e.vrid,
        priority: e.priority,
        intervalCs: e.intervalCs,
      });
    } else if (e.kind === 'garp' || e.kind === 'na') {
      const sender = e.kind === 'garp' ? e.sha.toLowerCase() : (e.tlla ?? mac).toLowerCase();
      const host = byMac.get(sender) ?? lastAdvertHostByMac.get(sender);
      garps.push({
        tMs: e.tMs,
        kind: e.kind === 'garp' ? 'arp' : 'na',
        ...(host === undefined ? {} : { host }),
        senderMac: sender,
        // The decoder classifies an ARP as gratuitous only when SPA = TPA, so SPA is the announced VIP.
        senderIp: e.kind === 'garp' ? e.ip : e.target,
      });
    }
  }
  const states: StateEvent[] = tl.events.flatMap((e) =>
    e.source === 'state' ? [{ tMs: e.tMs, host: e.host, instance: e.instance, state: normalizeState(e.to) }] : [],
  );
  const holders = tl.events.flatMap((e) => {
    if (e.source !== 'holder') return [];
    const { source: _s, ...change } = e;
    return [change];
  });
  return {
    t0Ms: o.t0Ms,
    endMs: tl.endMs ?? o.t0Ms,
    hosts: o.hosts,
    vips: o.vips,
    holders,
    states,
    adverts,
    garps,
  };
}
