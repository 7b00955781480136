import { describe, expect, it } from 'vitest';
import { openMonotonicTimer } from '../../../src/platform/monotonic-timer.js';
import { monotonicUs } from '../../../src/util/clock.js';

/** Arms `count` deadlines one after the other (each from the previous firing) and returns how late each fired. */
async function lateness(kind: 'timerfd' | 'loop', count: number): Promise<number[]> {
  const late: number[] = [];
  await new Promise<void>((resolve) => {
    let deadline = 0;
    const timer = openMonotonicTimer(() => {
      late.push(monotonicUs() - deadline);
      if (late.length === count) {
        timer.close();
        resolve();
        return;
      }
      deadline = monotonicUs() + 700 + late.length * 113; // sub-millisecond parts on purpose
      timer.armAt(deadline);
    }, kind);
    timer.setRef(true);
    deadline = monotonicUs() + 1_500;
    timer.armAt(deadline);
  });
  return late;
}

describe.each(['timerfd', 'loop'] as const)('MonotonicTimer (%s)', (kind) => {
  it('fires at the deadline: never before it, and within a generous bound after it', async () => {
    const late = await lateness(kind, 30);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(0);
    // The machine is shared: the bound is for a lost timer, not for precision (the bench measures that).
    const sorted = [...late].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(50_000);
  });

  it('re-arming replaces the deadline, disarm stops it, a past deadline fires at once', async () => {
    const fired: number[] = [];
    const start = monotonicUs();
    await new Promise<void>((resolve) => {
      const timer = openMonotonicTimer(() => {
        fired.push(monotonicUs());
        timer.close();
        resolve();
      }, kind);
      timer.setRef(true);
      timer.armAt(start + 1_000);
      timer.disarm();
      timer.armAt(start + 3_000);
    });
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(start + 3_000);
    const past = await new Promise<number>((resolve) => {
      const t = openMonotonicTimer(() => {
        t.close();
        resolve(monotonicUs());
      }, kind);
      t.setRef(true);
      t.armAt(0);
    });
    expect(past).toBeGreaterThan(start);
  });
});
