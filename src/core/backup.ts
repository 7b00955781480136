/**
 * Backup state, advert received (RFC 5798 §6.4.2, with RFC 9568 §6.4.2's Skew_Time recomputation), plus
 * keepalived's preempt_delay.
 */
import type { Draft } from './draft.js';
import type { InstanceSnapshot } from './types.js';

type Advert = { readonly src: string; readonly priority: number; readonly advertIntervalCs: number };

export function backupReceiveAdvert(d: Draft, adv: Advert): void {
  if (adv.priority === 0) {
    // The Master is releasing: take over after Skew_Time rather than the whole Master_Down_Interval.
    // The advert's interval is not adopted: the RFC only adopts it from an advert it accepts (prio > 0).
    d.counters.priZeroReceived++;
    d.arm('masterDown', d.nowUs + d.skewUs());
    return;
  }
  if (!acceptsAsMaster(d, adv.priority)) {
    // Discard: the Master_Down_Timer keeps running, so this higher-priority Backup preempts when it fires
    // (docs/quirks.md Q11: a full Master_Down_Interval after the last accepted advert).
    d.s.masterAddress = adv.src;
    d.s.masterPriority = adv.priority;
    return;
  }
  if (d.p.version === 3 && adv.advertIntervalCs > 0) d.s.masterAdverIntervalCs = adv.advertIntervalCs;
  d.s.masterAddress = adv.src;
  d.s.masterPriority = adv.priority;
  updatePreemptHold(d, adv.priority);
  // Re-arming replaces the old deadline; the runtime treats arm-timer on an armed timer as a reset.
  d.arm('masterDown', d.nowUs + d.masterDownUs());
}

/**
 * RFC 5798 §6.4.2: accept when Preempt_Mode is False or the advert's priority is ≥ ours. The owner always
 * preempts (§6.1). keepalived adds preempt_delay: while the hold is not started or not over, a lower-priority
 * Master is still accepted.
 */
function acceptsAsMaster(d: Draft, priority: number): boolean {
  if (priority >= d.s.effectivePriority) return true;
  if (d.isOwner) return false;
  if (!d.p.preempt) return true;
  return holdingPreempt(d);
}

/**
 * preempt_delay, as keepalived 2.2.7 vrrp_state_backup() does it: the hold starts at the first
 * lower-priority advert heard (not at process start), lasts preemptDelayUs, and is cleared by an advert of
 * priority ≥ ours and on every entry to Backup. After the hold, lower-priority adverts are discarded and
 * the Backup takes over when its Master_Down_Timer expires, i.e. about preemptDelay + Master_Down_Interval
 * after it first heard the lower-priority Master.
 */
function holdingPreempt(d: Draft): boolean {
  if (d.p.preemptDelayUs <= 0) return false;
  const until = d.s.preemptHoldUntilUs;
  return until === null || d.nowUs < until;
}

function updatePreemptHold(d: Draft, priority: number): void {
  if (d.p.preemptDelayUs <= 0) return;
  if (priority >= d.s.effectivePriority) d.s.preemptHoldUntilUs = null;
  else if (d.s.preemptHoldUntilUs === null) d.s.preemptHoldUntilUs = d.nowUs + d.p.preemptDelayUs;
}

/**
 * Whether a Backup in `s`, receiving again an advert of `priority` it has just accepted, would do nothing but
 * restart Master_Down_Timer from that advert's arrival — so the runtime may restart the timer for identical
 * repeats without stepping (runtime/instance-runner.ts watchRepeats). Not so for priority 0 (Skew_Time, and
 * its counter), nor while keepalived's preempt_delay decides, since that verdict changes with time.
 */
export function repeatOnlyRestartsMasterDown(s: InstanceSnapshot, priority: number): boolean {
  if (s.state !== 'BACKUP' || priority <= 0 || priority > 255) return false;
  if (priority >= s.effectivePriority) return true;
  return s.params.priority !== 255 && !s.params.preempt;
}
