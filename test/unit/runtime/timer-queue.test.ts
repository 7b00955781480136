import { describe, expect, it } from 'vitest';
import { type TimerEntry, TimerQueue } from '../../../src/runtime/timer-queue.js';
import { monotonicUs } from '../../../src/util/clock.js';
import { fakeTimer } from './helpers.js';

const entry = (log: string[], name: string): TimerEntry => ({
  deadlineUs: 0,
  seq: 0,
  index: -1,
  fire: () => log.push(name),
});

describe('TimerQueue', () => {
  it('keeps the OS timer on the earliest deadline and fires due entries in deadline order', () => {
    const { state, open } = fakeTimer();
    const q = new TimerQueue(open);
    const log: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => entry(log, n)) as [
      TimerEntry,
      TimerEntry,
      TimerEntry,
      TimerEntry,
    ];
    q.schedule(a, 30);
    q.schedule(b, 10);
    q.schedule(c, 20);
    q.schedule(d, 5);
    expect(state.armedUs).toBe(5);
    expect(state.ref).toBe(true);
    q.remove(d);
    expect(state.armedUs).toBe(10);
    q.schedule(b, 40); // re-arm moves b after a
    expect(state.armedUs).toBe(20);
    state.fire(); // every deadline is in the past of the real monotonic clock
    expect(log).toEqual(['c', 'a', 'b']);
    expect(q.size).toBe(0);
    expect(state.ref).toBe(false);
  });

  it('on a late wake runs onLateWake first; an entry it re-arms into the future does not fire', () => {
    const { state, open } = fakeTimer();
    const q = new TimerQueue(open);
    const log: string[] = [];
    const masterDown = entry(log, 'masterDown');
    q.schedule(masterDown, monotonicUs() - 50_000); // due 50 ms ago: the loop was stalled
    q.onLateWake = () => {
      log.push('drain');
      q.schedule(masterDown, monotonicUs() + 1_000_000); // an advert that was queued re-arms it
    };
    state.fire();
    expect(log).toEqual(['drain']);
    expect(state.armedUs).toBe(masterDown.deadlineUs);
  });

  it('an on-time wake does not call onLateWake', () => {
    const { state, open } = fakeTimer();
    const q = new TimerQueue(open);
    const log: string[] = [];
    q.schedule(entry(log, 'adver'), monotonicUs() + 200);
    q.onLateWake = () => log.push('drain');
    while (monotonicUs() < state.armedUs) {
      // wait for the deadline without becoming late
    }
    state.fire();
    expect(log).toEqual(['adver']);
  });

  it('does not fire entries whose deadline is still ahead, and re-arms for them', () => {
    const { state, open } = fakeTimer();
    const q = new TimerQueue(open);
    const log: string[] = [];
    const far = Number.MAX_SAFE_INTEGER;
    q.schedule(entry(log, 'now'), 1);
    q.schedule(entry(log, 'later'), far);
    state.fire();
    expect(log).toEqual(['now']);
    expect(state.armedUs).toBe(far);
  });

  it('equal deadlines fire in arm order; a callback may arm another entry', () => {
    const { state, open } = fakeTimer();
    const q = new TimerQueue(open);
    const log: string[] = [];
    const second = entry(log, 'second');
    const first: TimerEntry = {
      ...entry(log, 'first'),
      fire: () => {
        log.push('first');
        q.schedule(second, 2);
      },
    };
    q.schedule(first, 1);
    q.schedule(entry(log, 'tie'), 1);
    state.fire();
    expect(log).toEqual(['first', 'tie', 'second']);
  });
});
