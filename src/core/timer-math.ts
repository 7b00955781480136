/**
 * RFC 3768 §6.1 / RFC 5798 §6.1 timer formulas in integer microseconds.
 *
 * Rounding: the only division is by 256, and it is floored, exactly as keepalived 2.2.7's
 * VRRP_TIMER_SKEW_CALC does with unsigned integers ((256-prio) × cs × 625 / 16). Because 256 is a power of
 * two and every numerator stays below 2^53 (4095 cs × 10000 × 255 ≈ 1.0e10), the float division is exact
 * and Math.floor gives the true integer quotient. FRR truncates to centiseconds instead (3.60 s, not 3.609375 s).
 */

export const US_PER_CS = 10_000;
export const US_PER_S = 1_000_000;

export function centisecondsToUs(cs: number): number {
  return cs * US_PER_CS;
}

/**
 * Skew_Time. v2 (RFC 3768 §6.1): (256 − Priority)/256 seconds, independent of the advert interval
 * (acassen/keepalived#421). v3 (RFC 5798 §6.1): ((256 − Priority) × Master_Adver_Interval)/256 centiseconds.
 */
export function skewTimeUs(version: 2 | 3, priority: number, masterAdverIntervalCs: number): number {
  const weight = 256 - priority;
  if (version === 2) return Math.floor((weight * US_PER_S) / 256);
  return Math.floor((weight * masterAdverIntervalCs * US_PER_CS) / 256);
}

/**
 * Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time (RFC 5798 §6.1); keepalived makes the 3
 * configurable as down_timer_adverts. In v2 the Master's interval always equals the local one (RFC 3768 §7.1
 * drops mismatches), so the same formula holds.
 */
export function masterDownIntervalUs(
  version: 2 | 3,
  priority: number,
  masterAdverIntervalCs: number,
  downTimerAdverts = 3,
): number {
  return (
    downTimerAdverts * centisecondsToUs(masterAdverIntervalCs) + skewTimeUs(version, priority, masterAdverIntervalCs)
  );
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
