import {
  masterDownIntervalUs as protocolMasterDownIntervalUs,
  skewTimeUs as protocolSkewTimeUs,
} from '../protocol/timers.js';

/** Timer helpers of the state machine, in integer microseconds. */

export const US_PER_CS = 10_000;
export const US_PER_S = 1_000_000;

export function centisecondsToUs(cs: number): number {
  return cs * US_PER_CS;
}

/**
 * Skew_Time and Master_Down_Interval in the state machine's argument order; the formulas (and their
 * rounding, see src/protocol/timers.ts) live in one place, shared with the harness's RFC bounds.
 */
export function skewTimeUs(version: 2 | 3, priority: number, masterAdverIntervalCs: number): number {
  return protocolSkewTimeUs(priority, masterAdverIntervalCs, version);
}

export function masterDownIntervalUs(
  version: 2 | 3,
  priority: number,
  masterAdverIntervalCs: number,
  downTimerAdverts = 3,
): number {
  return protocolMasterDownIntervalUs(priority, masterAdverIntervalCs, version, downTimerAdverts);
}

/**
 * Next deadline of a periodic timer that fired at `nowUs` (≥ `previousDeadlineUs`). It is computed from the
 * previous deadline so a runtime that fires a little late does not stretch the period; if the runtime was so
 * late that the next deadline is already past (process stopped, host suspended), it restarts from now rather
 * than bursting to catch up.
 */
export function nextPeriodicDeadlineUs(previousDeadlineUs: number, periodUs: number, nowUs: number): number {
  const next = previousDeadlineUs + periodUs;
  return next > nowUs ? next : nowUs + periodUs;
}
