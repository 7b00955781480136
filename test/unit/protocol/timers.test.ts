import { describe, expect, it } from 'vitest';
import { failoverWindowUs, masterDownIntervalUs, ProtocolInputError, skewTimeUs } from '../../../src/protocol/index.js';

describe('RFC timers in integer microseconds', () => {
  it('prio 100 @ 1 s: skew 0.609375 s, Master_Down_Interval 3.609375 s (v2 and v3 agree at 1 s)', () => {
    for (const version of [2, 3] as const) {
      expect(skewTimeUs(100, 100, version)).toBe(609_375);
      expect(masterDownIntervalUs(100, 100, version)).toBe(3_609_375);
    }
  });

  it('matches the worked table of docs/protocol.md §4 (prio 50 and 254 @ 1 s)', () => {
    expect(skewTimeUs(50, 100, 3)).toBe(804_687); // 0.8046875 s, floored
    expect(masterDownIntervalUs(50, 100, 3)).toBe(3_804_687);
    expect(skewTimeUs(254, 100, 3)).toBe(7_812); // 7812.5 µs, floored
    expect(masterDownIntervalUs(254, 100, 3)).toBe(3_007_812);
  });

  it('v3 @ 10 cs, prio 100: skew = 156 × 100 000 / 256 = 60 937.5 µs, floored to 60 937 (as keepalived)', () => {
    expect(skewTimeUs(100, 10, 3)).toBe(60_937);
    expect(masterDownIntervalUs(100, 10, 3)).toBe(360_937);
  });

  it('v2 skew does not scale with the interval (RFC 3768 §6.1); v3 skew does', () => {
    expect(skewTimeUs(100, 300, 2)).toBe(609_375);
    expect(masterDownIntervalUs(100, 300, 2)).toBe(9_609_375);
    expect(skewTimeUs(100, 300, 3)).toBe(1_828_125);
  });

  it('priorities 100 and 101 differ by 3.9 ms in v2 (acassen/keepalived#421)', () => {
    expect(skewTimeUs(100, 100, 2) - skewTimeUs(101, 100, 2)).toBe(3_907); // 609375 − floor(605468.75)
  });

  it('S15: a v3 Backup that adopted a 200 cs interval waits 600 cs + skew', () => {
    expect(masterDownIntervalUs(100, 200, 3)).toBe(6_000_000 + 1_218_750);
  });

  it('downTimerAdverts replaces the factor 3 (keepalived down_timer_adverts)', () => {
    expect(masterDownIntervalUs(100, 100, 3, 5)).toBe(5_609_375);
  });

  it('the silent-failover window is (MDI − interval, MDI] (S4)', () => {
    expect(failoverWindowUs(100, 100, 2)).toEqual({ lowerExclusiveUs: 2_609_375, upperInclusiveUs: 3_609_375 });
    expect(failoverWindowUs(100, 10, 3)).toEqual({ lowerExclusiveUs: 260_937, upperInclusiveUs: 360_937 });
  });

  it('rejects values outside the fields', () => {
    expect(() => skewTimeUs(256, 100, 3)).toThrow(ProtocolInputError);
    expect(() => skewTimeUs(100, 0, 3)).toThrow(ProtocolInputError);
    expect(() => skewTimeUs(100, 1.5, 3)).toThrow(ProtocolInputError);
    expect(() => masterDownIntervalUs(100, 100, 3, 0)).toThrow(ProtocolInputError);
  });
});
