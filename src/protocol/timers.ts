import { ProtocolInputError } from './errors.js';
import type { VrrpVersion } from './types.js';

/**
 * RFC timer formulas in integer microseconds.
 *
 * Rounding: the skew is computed with exact integer arithmetic and floored once, to the microsecond. This is what
 * keepalived does (`(256 - prio) * master_adver_int / 256` on a µs interval), and it differs from the exact rational
 * value by less than 1 µs. Example: v3, prio 100, 10 cs → 156 × 100 000 / 256 = 60 937.5 µs → 60 937 µs.
 * The N × interval part of Master_Down_Interval is always a whole number of µs, so it is not rounded.
 * (FRR truncates to centiseconds instead: prio 100 @ 1 s gives skew 60 cs, Master_Down_Interval 3.60 s.)
 */

const US_PER_CS = 10_000;
const US_PER_S = 1_000_000;

function checkPriority(priority: number): void {
  if (!Number.isInteger(priority) || priority < 0 || priority > 255) {
    throw new ProtocolInputError(`priority must be an integer 0..255, got ${priority}`);
  }
}

function checkInterval(intervalCs: number): void {
  if (!Number.isInteger(intervalCs) || intervalCs < 1) {
    throw new ProtocolInputError(`advert interval must be a positive integer of centiseconds, got ${intervalCs}`);
  }
}

/**
 * Skew_Time. v2 (RFC 3768 §6.1): (256 − Priority) / 256 seconds, independent of the interval.
 * v3 (RFC 5798 §6.1): ((256 − Priority) × Master_Adver_Interval) / 256 centiseconds.
 */
export function skewTimeUs(priority: number, masterAdverIntervalCs: number, version: VrrpVersion): number {
  checkPriority(priority);
  checkInterval(masterAdverIntervalCs);
  const numerator = (256 - priority) * (version === 2 ? US_PER_S : masterAdverIntervalCs * US_PER_CS);
  return Math.floor(numerator / 256);
}

/**
 * Master_Down_Interval = downTimerAdverts × interval + Skew_Time (RFC 3768/5798 §6.1, which fix the multiplier at 3;
 * keepalived's `down_timer_adverts` makes it configurable). v2: the local Advertisement_Interval (which must equal
 * the Master's); v3: Master_Adver_Interval, learned from the Master.
 */
export function masterDownIntervalUs(
  priority: number,
  intervalCs: number,
  version: VrrpVersion,
  downTimerAdverts = 3,
): number {
  if (!Number.isInteger(downTimerAdverts) || downTimerAdverts < 1) {
    throw new ProtocolInputError(`downTimerAdverts must be a positive integer, got ${downTimerAdverts}`);
  }
  return downTimerAdverts * intervalCs * US_PER_CS + skewTimeUs(priority, intervalCs, version);
}

/** A half-open window of µs after some event: lowerExclusiveUs < t ≤ upperInclusiveUs. */
export interface WindowUs {
  lowerExclusiveUs: number;
  upperInclusiveUs: number;
}

/**
 * When a Backup takes over after its Master dies silently, measured from the moment of death: (MDI − interval, MDI].
 * The Master_Down_Timer was last reset by the final advert, which went out between one interval before the death and
 * the death itself (conformance case S4; lab notes §2: 2.61–3.61 s at prio 100, 1 s).
 */
export function failoverWindowUs(
  priority: number,
  intervalCs: number,
  version: VrrpVersion,
  downTimerAdverts = 3,
): WindowUs {
  const mdi = masterDownIntervalUs(priority, intervalCs, version, downTimerAdverts);
  return { lowerExclusiveUs: mdi - intervalCs * US_PER_CS, upperInclusiveUs: mdi };
}
