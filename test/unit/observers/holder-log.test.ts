import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HolderChange, HolderLog } from '../../../harness/observers/holder-log.js';

const VIP = '10.0.0.254';
const ev = (tMs: number, host: string, held: boolean, extra: Partial<HolderChange> = {}): HolderChange => ({
  tMs,
  host,
  vip: VIP,
  held,
  ...extra,
});

/** A failover with a 10 ms overlap: r1 holds, r2 takes over at 100, r1 drops at 110, r1 back at 300 after a gap. */
function failover(): HolderLog {
  return new HolderLog(
    [
      ev(0, 'r1', true, { initial: true }),
      ev(0, 'r2', false, { initial: true }),
      ev(100, 'r2', true, { boundMs: 95 }),
      ev(110, 'r1', false, { boundMs: 105 }),
      ev(250, 'r2', false, { boundMs: 245 }),
      ev(300, 'r1', true, { boundMs: 295 }),
    ],
    400,
  );
}

describe('HolderLog.holdersAt', () => {
  it('returns the holders after every event up to t', () => {
    const log = failover();
    expect(log.holdersAt(VIP, -1)).toEqual([]);
    expect(log.holdersAt(VIP, 0)).toEqual(['r1']);
    expect(log.holdersAt(VIP, 105)).toEqual(['r1', 'r2']);
    expect(log.holdersAt(VIP, 110)).toEqual(['r2']);
    expect(log.holdersAt(VIP, 260)).toEqual([]);
    expect(log.holdersAt(VIP, 1e9)).toEqual(['r1']);
    expect(log.holdersAt('10.0.0.1', 1e9)).toEqual([]);
  });

  it('keeps events sorted when probes report out of order', () => {
    const log = new HolderLog();
    log.add(ev(10, 'a', true));
    log.add(ev(5, 'b', true));
    log.add(ev(7, 'c', true));
    expect(log.events.map((e) => e.tMs)).toEqual([5, 7, 10]);
    expect([log.startMs, log.endMs]).toEqual([5, 10]);
  });
});

describe('HolderLog.windows', () => {
  it('splits observation into 0 / 1 / ≥2 holder windows with start and length', () => {
    const w = failover().windows(VIP);
    expect(w.map((x) => [x.class, x.holders.join('+'), x.startMs, x.lengthMs, x.open])).toEqual([
      ['single', 'r1', 0, 100, false],
      ['multi', 'r1+r2', 100, 10, false],
      ['single', 'r2', 110, 140, false],
      ['none', '', 250, 50, false],
      ['single', 'r1', 300, 100, true],
    ]);
  });

  it('treats simultaneous events as one change (no zero-length window)', () => {
    const log = new HolderLog([ev(0, 'a', true), ev(0, 'b', false), ev(50, 'a', false), ev(50, 'b', true)], 80);
    expect(log.windows(VIP).map((x) => [x.holders.join(), x.startMs, x.lengthMs])).toEqual([
      ['a', 0, 50],
      ['b', 50, 30],
    ]);
  });

  it('merges adjacent split-brain windows and reports the single holder at the end', () => {
    const log = new HolderLog(
      [
        ev(0, 'a', true),
        ev(0, 'b', false),
        ev(0, 'c', false),
        ev(10, 'b', true),
        ev(20, 'c', true),
        ev(30, 'a', false),
        ev(40, 'c', false),
      ],
      100,
    );
    expect(log.multiHolderWindows(VIP).map((x) => [x.holders.join('+'), x.count, x.startMs, x.lengthMs])).toEqual([
      ['a+b+c', 3, 10, 30],
    ]);
    expect(log.singleHolderSince(VIP)).toEqual({ host: 'b', sinceMs: 40 });
    expect(failover().singleHolderSince(VIP)).toEqual({ host: 'r1', sinceMs: 300 });
  });

  it('has no single holder when nobody or several hold at the end', () => {
    expect(new HolderLog([ev(0, 'a', true), ev(0, 'b', true)], 10).singleHolderSince(VIP)).toBeUndefined();
    expect(new HolderLog([ev(0, 'a', false)], 10).singleHolderSince(VIP)).toBeUndefined();
  });

  it('windows tile the observed period and agree with holdersAt (property)', () => {
    const arb = fc.array(
      fc.record({ dt: fc.integer({ min: 0, max: 20 }), host: fc.constantFrom('a', 'b', 'c'), held: fc.boolean() }),
      {
        minLength: 1,
        maxLength: 40,
      },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 50 }), (steps, tail) => {
        let t = 0;
        const events = steps.map((s) => {
          t += s.dt;
          return ev(t, s.host, s.held);
        });
        const end = t + tail;
        const log = new HolderLog(events, end);
        const w = log.windows(VIP);
        expect(w[0]!.startMs).toBe(events[0]!.tMs);
        expect(w.at(-1)!.startMs + w.at(-1)!.lengthMs).toBe(end);
        for (let i = 0; i < w.length; i++) {
          const cur = w[i]!;
          if (i > 0) {
            expect(cur.startMs).toBe(w[i - 1]!.startMs + w[i - 1]!.lengthMs);
            expect(cur.holders).not.toEqual(w[i - 1]!.holders);
          }
          expect(log.holdersAt(VIP, cur.startMs)).toEqual(cur.holders);
          expect(cur.count).toBe(cur.holders.length);
        }
      }),
    );
  });
});
