/** Invariants of step() over arbitrary parameters and event sequences (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../../src/core/snapshot.js';
import { step } from '../../../src/core/state-machine.js';
import type { InstanceEvent, InstanceParams, InstanceSnapshot, TimerName } from '../../../src/core/types.js';
import { nextDue, params } from './fixtures.js';

const TIMERS: readonly TimerName[] = ['masterDown', 'adver', 'garpDelay', 'garpRefresh', 'garpLowerPrio'];
const MASTER_TIMERS = new Set<TimerName>(['adver', 'garpDelay', 'garpRefresh', 'garpLowerPrio']);

const paramsArb: fc.Arbitrary<InstanceParams> = fc
  .record({
    version: fc.constantFrom(2 as const, 3 as const),
    priority: fc.oneof(fc.integer({ min: 1, max: 254 }), fc.constant(255)),
    seconds: fc.integer({ min: 1, max: 3 }),
    cs: fc.integer({ min: 1, max: 300 }),
    preempt: fc.boolean(),
    preemptDelayUs: fc.constantFrom(0, 2_000_000),
    lowerPrioNoAdvert: fc.boolean(),
    higherPrioSendAdvert: fc.boolean(),
    downTimerAdverts: fc.integer({ min: 1, max: 4 }),
    masterDelayUs: fc.constantFrom(0, 5_000_000),
    masterRepeat: fc.integer({ min: 0, max: 5 }),
    masterRefreshUs: fc.constantFrom(0, 3_000_000),
    lowerPrioDelayUs: fc.constantFrom(0, 5_000_000),
    lowerPrioRepeat: fc.integer({ min: 0, max: 5 }),
  })
  .map((r) =>
    params({
      version: r.version,
      priority: r.priority,
      advertIntervalCs: r.version === 2 ? r.seconds * 100 : r.cs,
      preempt: r.priority === 255 ? true : r.preempt,
      preemptDelayUs: r.preemptDelayUs,
      lowerPrioNoAdvert: r.lowerPrioNoAdvert,
      higherPrioSendAdvert: r.higherPrioSendAdvert,
      downTimerAdverts: r.downTimerAdverts,
      garp: {
        masterDelayUs: r.masterDelayUs,
        masterRepeat: r.masterRepeat,
        masterRefreshUs: r.masterRefreshUs,
        masterRefreshRepeat: 1,
        lowerPrioDelayUs: r.lowerPrioDelayUs,
        lowerPrioRepeat: r.lowerPrioRepeat,
      },
    }),
  );

/** 'fire-due' stands for "the runtime fires the earliest armed timer", so timer paths are really exercised. */
type Input = { kind: 'event'; ev: InstanceEvent; dt: number } | { kind: 'fire-due' };

const eventArb: fc.Arbitrary<InstanceEvent> = fc.oneof(
  fc.constant({ type: 'startup' } as const),
  fc.constant({ type: 'shutdown' } as const),
  fc.record({
    type: fc.constant('advert' as const),
    src: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.10', 'fe80::1', 'garbage'),
    priority: fc.oneof(fc.constantFrom(0, 1, 100, 254, 255), fc.integer({ min: -5, max: 300 })),
    advertIntervalCs: fc.oneof(fc.constantFrom(0, 100, 200), fc.integer({ min: -1, max: 5000 })),
  }),
  fc.record({ type: fc.constant('timer' as const), timer: fc.constantFrom(...TIMERS) }),
  fc.record({
    type: fc.constant('effective-priority' as const),
    priority: fc.oneof(fc.integer({ min: -300, max: 300 }), fc.constant(Number.NaN)),
  }),
  fc.record({
    type: fc.constant('fault' as const),
    faulted: fc.boolean(),
    reason: fc.constant('test'),
    source: fc.constantFrom('local', 'if:eth1', 'sync-group:G'),
  }),
  fc.record({
    type: fc.constant('sync' as const),
    to: fc.constantFrom('MASTER' as const, 'BACKUP' as const),
    reason: fc.constant('peer'),
  }),
);

const inputsArb: fc.Arbitrary<Input[]> = fc.array(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('event' as const),
        ev: eventArb,
        dt: fc.integer({ min: 0, max: 4_000_000 }),
      }),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'fire-due' as const }) },
  ),
  { maxLength: 80 },
);

function expectConsistent(s: InstanceSnapshot): void {
  expect(s.vipsInstalled).toBe(s.state === 'MASTER');
  const armed = TIMERS.filter((t) => s.timers[t] !== undefined);
  if (s.state === 'MASTER') expect(armed).toContain('adver');
  if (s.state === 'BACKUP') expect(armed).toEqual(['masterDown']);
  if (s.state === 'INIT' || s.state === 'FAULT') expect(armed).toEqual([]);
  if (s.state !== 'MASTER') expect(armed.filter((t) => MASTER_TIMERS.has(t))).toEqual([]);
  if (s.params.priority === 255) expect(s.effectivePriority).toBe(255);
  else expect(s.effectivePriority).toBeGreaterThanOrEqual(1);
  if (s.params.priority !== 255) expect(s.effectivePriority).toBeLessThanOrEqual(254);
}

describe('step() invariants over arbitrary event sequences', () => {
  it('never throws, never adds VIPs twice, sends priority 0 only on shutdown/fault, keeps timers consistent', () => {
    fc.assert(
      fc.property(paramsArb, inputsArb, (p, inputs) => {
        let s = initialSnapshot(p);
        let now = 0;
        let installed = false;
        for (const input of inputs) {
          let ev: InstanceEvent;
          if (input.kind === 'fire-due') {
            const due = nextDue(s, Number.MAX_SAFE_INTEGER);
            if (due === null) continue;
            now = Math.max(now, due.at);
            ev = { type: 'timer', timer: due.timer };
          } else {
            now += input.dt;
            ev = input.ev;
          }
          const before = s;
          const r = step(s, ev, now);
          s = r.state;
          const timers: Partial<Record<TimerName, number>> = { ...before.timers };
          if (ev.type === 'timer' && (timers[ev.timer] ?? Number.POSITIVE_INFINITY) <= now) delete timers[ev.timer];
          for (const [i, a] of r.actions.entries()) {
            if (a.type === 'add-vips') {
              expect(installed, 'add-vips while already installed').toBe(false);
              installed = true;
            } else if (a.type === 'remove-vips') {
              expect(installed, 'remove-vips without add-vips').toBe(true);
              installed = false;
            } else if (a.type === 'send-advert') {
              const releasing = ev.type === 'shutdown' || (ev.type === 'fault' && ev.faulted);
              if (a.priority === 0) expect(releasing, `priority 0 sent on ${ev.type}`).toBe(true);
              if (p.priority !== 255) expect(a.priority).toBeLessThan(255);
              expect(a.advertIntervalCs).toBe(p.advertIntervalCs);
            } else if (a.type === 'arm-timer') {
              expect(a.deadlineUs).toBeGreaterThanOrEqual(now);
              timers[a.timer] = a.deadlineUs;
            } else if (a.type === 'cancel-timer') {
              expect(timers[a.timer], `cancel of unarmed ${a.timer}`).toBeDefined();
              delete timers[a.timer];
            } else if (a.type === 'transition') {
              expect(a.from).toBe(before.state);
              expect(a.to).toBe(s.state);
              expect(i).toBe(r.actions.length - 1);
            } else if (a.type === 'send-garp') {
              expect(a.repeat).toBeGreaterThan(0);
            }
          }
          if (!r.actions.some((a) => a.type === 'transition')) expect(s.state).toBe(before.state);
          expect(s.timers).toEqual(timers);
          expect(installed).toBe(s.vipsInstalled);
          expectConsistent(s);
        }
      }),
      { numRuns: 500 },
    );
  });
});
