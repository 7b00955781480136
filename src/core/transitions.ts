/**
 * The multi-step state changes shared by several events: entering Master, entering Backup, and releasing
 * Mastership. Each emits its actions in the order the runtime must run them.
 */
import type { Draft } from './draft.js';
import type { VrrpState } from './types.js';

const MASTER_ONLY_TIMERS = ['adver', 'garpDelay', 'garpRefresh', 'garpLowerPrio'] as const;

/**
 * RFC 5798 §6.4.1/§6.4.2 "transition to Master": advert, then GARP/NA. The VIPs are added first (a
 * netlink call of ~0.05 ms): on a preemption the old Master drops the VIP as soon as it hears our advert,
 * and with keepalived's order (advert, then VIPs) a scheduling delay between the two leaves nobody holding
 * the VIP — seen as 8.6 ms gaps on a loaded machine. This way the worst case is a sub-millisecond overlap.
 * The GARPs still follow the advert, so the old Master has been told first; a second burst follows after
 * garp_master_delay.
 */
export function becomeMaster(d: Draft, reason: string): void {
  d.cancel('masterDown');
  d.s.masterAdverIntervalCs = d.p.advertIntervalCs;
  d.s.masterAddress = null;
  d.s.masterPriority = null;
  d.s.preemptHoldUntilUs = null;
  d.addVips();
  d.sendAdvert(d.s.effectivePriority);
  d.sendGarp(d.p.garp.masterRepeat);
  d.arm('adver', d.nowUs + d.adverIntervalUs());
  if (d.p.garp.masterDelayUs > 0 && d.p.garp.masterRepeat > 0) d.arm('garpDelay', d.nowUs + d.p.garp.masterDelayUs);
  if (d.p.garp.masterRefreshUs > 0) d.arm('garpRefresh', d.nowUs + d.p.garp.masterRefreshUs);
  d.transition('MASTER', reason);
}

/** Master_Down_Timer = Master_Down_Interval → Backup (RFC 5798 §6.4.1 startup, §6.4.3 yielding). */
export function enterBackup(d: Draft, reason: string): void {
  d.arm('masterDown', d.nowUs + d.masterDownUs());
  d.transition('BACKUP', reason);
}

/**
 * Leaves Master without handing over: shutdown (RFC 5798 §6.4.3, → INIT) or keepalived FAULT
 * (vrrp_state_leave_master with wantstate FAULT). Both send priority 0 so a Backup takes over after
 * Skew_Time instead of Master_Down_Interval. Every Master-only timer is cancelled, including the delayed
 * GARP burst that keepalived 2.2.7 leaves running (docs/quirks.md Q6).
 */
export function releaseMaster(d: Draft, to: Extract<VrrpState, 'INIT' | 'FAULT'>, reason: string): void {
  cancelMasterTimers(d);
  d.sendAdvert(0);
  d.removeVips();
  d.transition(to, reason);
}

/**
 * Master → Backup on a higher-priority advert, or a sync-group order. keepalived's
 * higher_prio_send_advert sends one more advert first so a peer with garp_lower_prio_* re-announces.
 */
export function yieldMaster(d: Draft, reason: string, sendFinalAdvert: boolean): void {
  cancelMasterTimers(d);
  if (sendFinalAdvert) d.sendAdvert(d.s.effectivePriority);
  d.removeVips();
  enterBackup(d, reason);
}

export function cancelMasterTimers(d: Draft): void {
  for (const t of MASTER_ONLY_TIMERS) d.cancel(t);
}
