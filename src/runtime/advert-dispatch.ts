import type { ReceivedPacket } from '../platform/vrrp-socket.js';
import {
  canonicalAddress,
  decodeIpPacket,
  decodeVrrpMessage,
  isMulticastAddress,
  validateForInstance,
} from '../protocol/index.js';
import type { DecodedAdvert } from '../protocol/types.js';
import type { DiscardLog } from './discard-log.js';
import type { DropCounters } from './drop-counters.js';
import type { InstanceRunner } from './instance-runner.js';

/**
 * Wire reasons we log but do not drop on. keepalived and FRR put the configured VIPs in IPv6 adverts as
 * they are, global first, although RFC 9568 erratum 8300 wants the link-local first: dropping those
 * adverts would make every mixed IPv6 cluster split.
 */
const TOLERATED = new Set(['ipv6-first-not-link-local']);

function same(a: string, b: string): boolean {
  try {
    return canonicalAddress(a) === canonicalAddress(b);
  } catch {
    return false;
  }
}

const isUnicastInstance = (r: InstanceRunner) => r.settings.unicastPeers.length > 0;

/**
 * The instance an advert belongs to. Several instances on one interface may share a VRID and version when
 * their unicast peers or groups differ, so the match goes on: a multicast advert belongs to the multicast
 * instance of its group, a unicast one to the unicast instance that has its source as a peer (else to the one
 * unicast instance, which accepts any source unless check_unicast_src). An advert that matches the VRID but
 * none of those goes to the first such instance, whose validation drops it as 'destination'.
 */
function ownerOf(withVrid: readonly InstanceRunner[], d: DecodedAdvert): InstanceRunner | undefined {
  const candidates = withVrid.filter((r) => r.settings.params.version === d.advert.version);
  if (isMulticastAddress(d.ip.dst)) {
    const match = candidates.find((r) => !isUnicastInstance(r) && same(r.settings.multicastGroup, d.ip.dst));
    return match ?? candidates[0];
  }
  const unicast = candidates.filter(isUnicastInstance);
  return unicast.find((r) => r.settings.unicastPeers.some((p) => same(p, d.ip.src))) ?? unicast[0] ?? candidates[0];
}

/** The instances of one socket by VRID: a packet is matched among its VRID's few, not among all 255. */
export class RunnersByVrid {
  private readonly byVrid = new Map<number, InstanceRunner[]>();

  add(r: InstanceRunner): void {
    const vrid = r.settings.params.vrid;
    const list = this.byVrid.get(vrid);
    if (list) list.push(r);
    else this.byVrid.set(vrid, [r]);
  }

  delete(r: InstanceRunner): boolean {
    const vrid = r.settings.params.vrid;
    const list = this.byVrid.get(vrid);
    const i = list?.indexOf(r) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    if (list.length === 0) this.byVrid.delete(vrid);
    return true;
  }

  get size(): number {
    let n = 0;
    for (const list of this.byVrid.values()) n += list.length;
    return n;
  }

  withVrid(vrid: number): readonly InstanceRunner[] {
    return this.byVrid.get(vrid) ?? NONE;
  }

  static of(runners: Iterable<InstanceRunner>): RunnersByVrid {
    const index = new RunnersByVrid();
    for (const r of runners) index.add(r);
    return index;
  }
}

const NONE: readonly InstanceRunner[] = [];

/**
 * Decodes one received packet and hands it to the instance it belongs to. Every packet that is not used
 * is counted by reason — on the instance when its VRID and version match one, globally otherwise — logged at
 * info (rate-limited) and dropped. Never throws: a malformed packet must not take the daemon down.
 */
export function dispatchPacket(
  p: ReceivedPacket,
  runners: RunnersByVrid,
  global: DropCounters,
  discards: DiscardLog,
): void {
  const decoded =
    p.family === 4
      ? decodeIpPacket(p.data)
      : decodeVrrpMessage(p.data, { family: 6, src: p.src, dst: p.dst, ttl: p.ttl });
  if (!decoded.ok) {
    global.dropPacket([decoded.reason]);
    discards.discard(decoded.reason, { src: p.src, detail: decoded.detail });
    return;
  }
  const d = decoded.value;
  const withVrid = runners.withVrid(d.advert.vrid);
  const owner = ownerOf(withVrid, d);
  // keepalived checks the TTL only for multicast instances; a unicast peer may be routers away (unicast_ttl).
  const unicast = owner !== undefined && isUnicastInstance(owner) && !isMulticastAddress(d.ip.dst);
  const errors = d.errors.filter((e) => !TOLERATED.has(e) && !(unicast && e === 'ttl'));
  if (errors.length > 0) {
    const counters = owner?.drops ?? global;
    counters.dropPacket(errors);
    discards.discard(errors[0]!, { src: p.src, vrid: d.advert.vrid, reasons: errors, instance: owner?.name });
    return;
  }
  if (!owner) {
    const reason = withVrid.length > 0 ? 'version-mismatch' : 'unknown-vrid';
    global.dropPacket([reason]);
    discards.discard(reason, { src: p.src, vrid: d.advert.vrid, version: d.advert.version });
    return;
  }
  deliver(owner, d, discards, p);
}

/**
 * keepalived's `skip_check_adv_addr` (vrrp.c, vrrp_state_backup_rx): only a Backup skips, only for the Master it
 * last heard — so the first advert of every new Master is checked in full.
 */
function skipsAddressChecks(r: InstanceRunner, d: DecodedAdvert): boolean {
  return (
    r.settings.skipCheckAdvAddr &&
    r.state === 'BACKUP' &&
    r.lastMasterSource !== undefined &&
    same(r.lastMasterSource, d.ip.src)
  );
}

/**
 * Timers restart from the advert's arrival (p.receivedAtUs, when the kernel handed it over), not from our
 * processing. A Backup then lets the receive path restart Master_Down for identical repeats (watchRepeats).
 */
function deliver(r: InstanceRunner, d: DecodedAdvert, discards: DiscardLog, p: ReceivedPacket): void {
  const s = r.settings;
  const verdict = validateForInstance(d, {
    version: s.params.version,
    vrid: s.params.vrid,
    advertIntervalCs: s.params.advertIntervalCs,
    authType: s.authType,
    authPass: s.authPass,
    addresses: s.vips.map((v) => v.address),
    isOwner: s.params.priority === 255,
    unicastPeers: s.unicastPeers,
    checkUnicastSrc: s.checkUnicastSrc,
    multicastGroup: s.multicastGroup,
    peerTtl: s.peerTtl,
    skipAddressChecks: skipsAddressChecks(r, d),
  });
  if (verdict.drop.length > 0) {
    r.drops.dropPacket(verdict.drop);
    discards.discard(verdict.drop[0]!, {
      instance: r.name,
      src: d.ip.src,
      dst: d.ip.dst,
      ttl: d.ip.ttl,
      reasons: verdict.drop,
    });
    return;
  }
  if (verdict.notes.length > 0) {
    discards.log.debug('advert notes', { instance: r.name, src: d.ip.src, notes: verdict.notes });
  }
  if (r.state === 'BACKUP' && d.advert.priority > 0) r.lastMasterSource = d.ip.src;
  const ev = {
    type: 'advert',
    src: d.ip.src,
    priority: d.advert.priority,
    advertIntervalCs: d.advert.advertIntervalCs,
  } as const;
  r.handle(ev, p.receivedAtUs);
  r.watchRepeats(p, ev);
}
