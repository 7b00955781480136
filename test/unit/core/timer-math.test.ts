import { describe, expect, it } from 'vitest';
import { masterDownIntervalUs, nextPeriodicDeadlineUs, skewTimeUs } from '../../../src/core/timer-math.js';

describe('Skew_Time and Master_Down_Interval (RFC 5798 §6.1, RFC 3768 §6.1) in µs', () => {
  it('prio 100 at 1 s: Skew 0.609375 s, MDI 3.609375 s, identical in v2 and v3', () => {
    for (const version of [2, 3] as const) {
      expect(skewTimeUs(version, 100, 100)).toBe(609_375);
      expect(masterDownIntervalUs(version, 100, 100)).toBe(3_609_375);
    }
  });

  it('v3 skew scales with Master_Adver_Interval; v2 skew does not (acassen/keepalived#421)', () => {
    expect(skewTimeUs(3, 100, 200)).toBe(1_218_750);
    expect(masterDownIntervalUs(3, 100, 200)).toBe(7_218_750);
    expect(skewTimeUs(2, 100, 200)).toBe(609_375);
    expect(masterDownIntervalUs(2, 100, 200)).toBe(6_609_375);
  });

  it('floors the division by 256 like keepalived (prio 100 at 10 cs: 60937.5 µs → 60937)', () => {
    expect(skewTimeUs(3, 100, 10)).toBe(60_937);
    expect(masterDownIntervalUs(3, 100, 10)).toBe(360_937);
    expect(skewTimeUs(3, 50, 100)).toBe(804_687);
    expect(masterDownIntervalUs(3, 50, 100)).toBe(3_804_687);
    expect(skewTimeUs(3, 254, 100)).toBe(7_812);
    expect(skewTimeUs(2, 255, 100)).toBe(3_906);
  });

  it('stays exact at the largest v3 interval (4095 cs, prio 1)', () => {
    // 255 × 4095 × 10000 / 256 = 40 790 039.0625
    expect(skewTimeUs(3, 1, 4095)).toBe(40_790_039);
    expect(Number.isInteger(masterDownIntervalUs(3, 1, 4095))).toBe(true);
  });

  it('down_timer_adverts replaces the factor 3', () => {
    expect(masterDownIntervalUs(3, 100, 100, 1)).toBe(1_609_375);
    expect(masterDownIntervalUs(3, 100, 100, 5)).toBe(5_609_375);
  });
});

describe('nextPeriodicDeadlineUs', () => {
  it('counts from the previous deadline, so a late callback does not stretch the period', () => {
    expect(nextPeriodicDeadlineUs(1_000_000, 1_000_000, 1_003_000)).toBe(2_000_000);
  });

  it('restarts from now when the next deadline is already past, instead of bursting', () => {
    expect(nextPeriodicDeadlineUs(1_000_000, 1_000_000, 5_500_000)).toBe(6_500_000);
    expect(nextPeriodicDeadlineUs(1_000_000, 1_000_000, 2_000_000)).toBe(3_000_000);
  });
});
