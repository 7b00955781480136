/** Master state, advert received (RFC 5798 §6.4.3 as amended by RFC 9568 §6.4.3), with keepalived's options. */
import { compareAddresses } from './address-compare.js';
import type { Draft } from './draft.js';
import { yieldMaster } from './transitions.js';

type Advert = { readonly src: string; readonly priority: number; readonly advertIntervalCs: number };

export function masterReceiveAdvert(d: Draft, adv: Advert): void {
  if (adv.priority === 0) {
    // Another router released: re-assert at once and restart the advert period.
    d.counters.priZeroReceived++;
    d.sendAdvert(d.s.effectivePriority);
    d.arm('adver', d.nowUs + d.adverIntervalUs());
    return;
  }
  const local = d.s.effectivePriority;
  const cmp = compareAddresses(adv.src, d.p.primaryAddress);
  if (adv.priority > local || (adv.priority === local && cmp === 1)) {
    // The owner never yields. Erratum 8298 to RFC 9568: an owner hearing another owner only logs it.
    // keepalived 2.2.7 instead lowers itself to 254; we keep 255 so the owner's priority never changes.
    if (d.isOwner) return;
    if (d.p.version === 3 && adv.advertIntervalCs > 0) d.s.masterAdverIntervalCs = adv.advertIntervalCs;
    d.s.masterAddress = adv.src;
    d.s.masterPriority = adv.priority;
    const why = adv.priority > local ? 'higher priority' : 'equal priority and higher address';
    yieldMaster(d, `${why} advert from ${adv.src} (priority ${adv.priority}, ours ${local})`, d.p.higherPrioSendAdvert);
    return;
  }
  // Equal priority from our own address (a looped-back advert) or from an address that does not parse:
  // neither side wins, so do nothing (keepalived logs a warning for the first case).
  if (adv.priority === local && cmp !== -1) return;
  lowerPriorityAdvert(d);
}

/**
 * Lower priority, or equal priority from a lower address. RFC 9568 §6.4.3: discard and advertise at once so
 * the sender (and learning bridges) see the real Master; the Adver_Timer is not reset. keepalived also sends
 * garp_lower_prio_repeat GARPs right away and again after garp_lower_prio_delay (vrrp_state_master_rx), which
 * repairs the ARP caches after a healed split brain. A delayed burst already pending is not re-armed, so a
 * stream of lower adverts cannot push it back forever.
 */
function lowerPriorityAdvert(d: Draft): void {
  if (!d.p.lowerPrioNoAdvert) d.sendAdvert(d.s.effectivePriority);
  const { lowerPrioRepeat, lowerPrioDelayUs } = d.p.garp;
  if (lowerPrioRepeat > 0) {
    d.sendGarp(lowerPrioRepeat);
    if (lowerPrioDelayUs > 0 && d.timers.garpLowerPrio === undefined)
      d.arm('garpLowerPrio', d.nowUs + lowerPrioDelayUs);
  }
  // keepalived runs notify_master_rx_lower_pri and writes a MASTER_RX_LOWER_PRI FIFO line here, so a
  // Master can repair what a lower-priority router did while it believed itself Master.
  d.notifyEvent('MASTER_RX_LOWER_PRI');
}
