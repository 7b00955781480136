import { describe, expect, it } from 'vitest';
import { rfcBounds } from '../../../harness/scenario/bounds.js';
import { settledAfter } from '../../../harness/scenario/steps.js';

describe('settledAfter (steady windows begin after every router had its Master_Down_Interval)', () => {
  const prio: Record<string, number> = { r1: 150, r2: 100, r3: 50 };
  const ctx = {
    routers: ['r1', 'r2', 'r3'],
    toleranceMs: 100,
    bounds: (h: string) => rfcBounds({ priority: prio[h]!, version: 3, advertIntervalS: 0.2 }),
  };

  it('takes the longest Master_Down_Interval (lowest priority) plus one advert interval and the tolerance', () => {
    // r3 at 50: 3 × 200 + (256 − 50) × 200 / 256 = 760.9375 ms (µs-rounded).
    expect(settledAfter(ctx, 1000)).toBeCloseTo(1000 + 760.9375 + 200 + 100, 2);
  });

  it('covers the startup race seen under load: a second holder 8 ms after the first, for 15 ms', () => {
    const lastStart = 5000;
    const firstHolder = lastStart + ctx.bounds('r1').masterDownMs;
    const raceEnd = firstHolder + 8 + 15.4;
    expect(settledAfter(ctx, lastStart)).toBeGreaterThan(raceEnd);
  });
});
