import { describe, expect, it } from 'vitest';
import { GarpPacer } from '../../../src/runtime/garp-pacer.js';
import { TimerQueue } from '../../../src/runtime/timer-queue.js';
import { monotonicUs } from '../../../src/util/clock.js';
import { fakeTimer } from './helpers.js';

/** A queue whose OS timer the test fires by hand, once the real clock has passed the armed deadline. */
function handQueue() {
  const { state, open } = fakeTimer();
  const queue = new TimerQueue(open);
  const fireWhenDue = () => {
    while (monotonicUs() < state.armedUs) {
      // wait for the deadline (a few ms)
    }
    state.fire();
  };
  return { queue, state, fireWhenDue };
}

describe('GarpPacer', () => {
  const frames = ['233', '234', '235'].map((n) => Buffer.from(n));
  const names = (sent: Buffer[]) => sent.map((b) => b.toString());

  it('interval 0: everything at once, repeats included', () => {
    const sent: Buffer[] = [];
    const via = { send: (f: Buffer) => void sent.push(f) };
    const p = new GarpPacer(0, handQueue().queue);
    for (let r = 0; r < 2; r++) for (const [i, f] of frames.entries()) p.send(f, i, via);
    expect(names(sent)).toEqual(['233', '234', '235', '233', '234', '235']);
  });

  it('paced: the first at once, then one pending address per interval, in address order, repeats coalesced', () => {
    const sent: { name: string; atUs: number }[] = [];
    const { queue, fireWhenDue } = handQueue();
    const via = { send: (f: Buffer) => void sent.push({ name: f.toString(), atUs: monotonicUs() }) };
    const p = new GarpPacer(3_000, queue);
    for (let r = 0; r < 2; r++) for (const [i, f] of frames.entries()) p.send(f, i, via);
    expect(sent.map((s) => s.name)).toEqual(['233']);
    expect(p.waiting).toBe(3);
    while (p.waiting > 0) fireWhenDue();
    expect(sent.map((s) => s.name)).toEqual(['233', '233', '234', '235']);
    for (let i = 1; i < sent.length; i++) {
      expect((sent[i]?.atUs ?? 0) - (sent[i - 1]?.atUs ?? 0)).toBeGreaterThanOrEqual(3_000);
    }
    expect(queue.size).toBe(0);
  });

  it('drop(via) drops what waits for that socket only; drop() everything', () => {
    const sent: string[] = [];
    const { queue, state } = handQueue();
    const a = { send: (f: Buffer) => void sent.push(`a${f}`) };
    const b = { send: (f: Buffer) => void sent.push(`b${f}`) };
    const p = new GarpPacer(1_000_000, queue);
    p.send(frames[0] as Buffer, 0, a);
    p.send(frames[1] as Buffer, 1, a);
    p.send(frames[2] as Buffer, 2, b);
    p.drop(a);
    expect(p.waiting).toBe(1);
    p.drop();
    expect(p.waiting).toBe(0);
    expect(queue.size).toBe(0);
    expect(state.armedUs).toBe(-1);
    expect(sent).toEqual(['a233']);
  });

  it('drop() with nothing named drops everything and disarms', () => {
    const sent: Buffer[] = [];
    const { queue, state } = handQueue();
    const via = { send: (f: Buffer) => void sent.push(f) };
    const p = new GarpPacer(1_000_000, queue);
    p.send(frames[0] as Buffer, 0, via);
    p.send(frames[1] as Buffer, 1, via);
    p.drop();
    expect(p.waiting).toBe(0);
    expect(queue.size).toBe(0);
    expect(state.armedUs).toBe(-1);
    expect(sent).toHaveLength(1);
  });
});
