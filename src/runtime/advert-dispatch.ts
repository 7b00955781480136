import type { ReceivedPacket } from '../platform/vrrp-socket.js';
import { decodeIpPacket, decodeVrrpMessage, validateForInstance } from '../protocol/index.js';
import type { DecodedAdvert } from '../protocol/types.js';
import type { Logger } from '../util/logger.js';
import type { DropCounters } from './drop-counters.js';
import type { InstanceRunner } from './instance-runner.js';

/**
 * Wire reasons we log but do not drop on. keepalived and FRR put the configured VIPs in IPv6 adverts as
 * they are, global first, although RFC 9568 erratum 8300 wants the link-local first: dropping those
 * adverts would make every mixed IPv6 cluster split.
 */
const TOLERATED = new Set(['ipv6-first-not-link-local']);

/**
 * Decodes one received packet and hands it to the instance it belongs to. Every packet that is not used
 * is counted by reason — on the instance when its VRID and version match one, globally otherwise — and
 * dropped. Never throws: a malformed packet must not take the daemon down.
 */
export function dispatchPacket(
  p: ReceivedPacket,
  runners: readonly InstanceRunner[],
  global: DropCounters,
  log: Logger,
): void {
  const decoded =
    p.family === 4
      ? decodeIpPacket(p.data)
      : decodeVrrpMessage(p.data, { family: 6, src: p.src, dst: p.dst, ttl: p.ttl });
  if (!decoded.ok) {
    global.dropPacket([decoded.reason]);
    log.debug('packet dropped', { src: p.src, reason: decoded.reason, detail: decoded.detail });
    return;
  }
  const d = decoded.value;
  const owner = runners.find(
    (r) => r.settings.params.vrid === d.advert.vrid && r.settings.params.version === d.advert.version,
  );
  const errors = d.errors.filter((e) => !TOLERATED.has(e));
  if (errors.length > 0) {
    const counters = owner?.drops ?? global;
    counters.dropPacket(errors);
    log.debug('advert dropped', { src: p.src, vrid: d.advert.vrid, reasons: errors, instance: owner?.name });
    return;
  }
  if (!owner) {
    global.dropPacket([
      runners.some((r) => r.settings.params.vrid === d.advert.vrid) ? 'version-mismatch' : 'unknown-vrid',
    ]);
    return;
  }
  deliver(owner, d, log, p.receivedAtUs);
}

/** `atUs`: when the kernel handed us the packet; timers restart from the advert's arrival, not from our processing. */
function deliver(r: InstanceRunner, d: DecodedAdvert, log: Logger, atUs: number): void {
  const s = r.settings;
  const verdict = validateForInstance(d, {
    version: s.params.version,
    vrid: s.params.vrid,
    advertIntervalCs: s.params.advertIntervalCs,
    authType: s.authType,
    authPass: s.authPass,
    addresses: s.vips.map((v) => v.address),
    isOwner: s.params.priority === 255,
    unicastPeers: s.unicastPeers.length > 0 ? s.unicastPeers : undefined,
  });
  if (verdict.drop.length > 0) {
    r.drops.dropPacket(verdict.drop);
    log.debug('advert dropped', { instance: r.name, src: d.ip.src, reasons: verdict.drop });
    return;
  }
  if (verdict.notes.length > 0) log.debug('advert notes', { instance: r.name, src: d.ip.src, notes: verdict.notes });
  r.handle(
    { type: 'advert', src: d.ip.src, priority: d.advert.priority, advertIntervalCs: d.advert.advertIntervalCs },
    atUs,
  );
}
