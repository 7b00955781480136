import { describe, expect, it } from 'vitest';
import { DeadlineTimers } from '../../../src/runtime/deadline-timers.js';
import { monotonicUs } from '../../../src/util/clock.js';

describe('DeadlineTimers', () => {
  it('never fires before the deadline on the monotonic clock (libuv timers may run ~1 ms early)', async () => {
    const fired: { lateUs: number }[] = [];
    await new Promise<void>((resolve) => {
      const timers = new DeadlineTimers<string>((_name, deadline) => {
        fired.push({ lateUs: monotonicUs() - deadline });
        if (fired.length === 50) resolve();
      });
      const start = monotonicUs();
      // Deadlines with sub-millisecond parts are the ones a millisecond timer can round down.
      for (let i = 0; i < 50; i++) timers.arm(`t${i}`, start + 1_000 + i * 1_337);
    });
    expect(fired.every((f) => f.lateUs >= 0)).toBe(true);
  });

  it('re-arming replaces the deadline and cancel stops a timer', async () => {
    const fired: string[] = [];
    const now = monotonicUs();
    await new Promise<void>((resolve) => {
      const timers = new DeadlineTimers<string>((name) => {
        fired.push(name);
        if (name === 'a') resolve();
      });
      timers.arm('a', now + 2_000);
      timers.arm('a', now + 5_000);
      timers.arm('b', now + 1_000);
      timers.cancel('b');
      expect(timers.deadline('a')).toBe(now + 5_000);
    });
    // 'b' was due before 'a': had the cancel not worked it would have fired first.
    expect(fired).toEqual(['a']);
    expect(monotonicUs()).toBeGreaterThanOrEqual(now + 5_000);
  });
});
