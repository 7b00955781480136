/**
 * Test drivers for the pure state machine: a virtual clock for one instance, and a lossless zero-delay LAN
 * that delivers every send-advert to the other routers that are up. Timers fire exactly at their deadlines.
 */
import { initialSnapshot } from '../../../src/core/snapshot.js';
import { step } from '../../../src/core/state-machine.js';
import type { Action, InstanceEvent, InstanceParams, InstanceSnapshot, TimerName } from '../../../src/core/types.js';

export const S = 1_000_000;

export function params(overrides: Partial<InstanceParams> = {}): InstanceParams {
  return {
    name: 'VI_1',
    version: 3,
    vrid: 51,
    priority: 100,
    advertIntervalCs: 100,
    preempt: true,
    preemptDelayUs: 0,
    initialState: 'BACKUP',
    primaryAddress: '10.0.0.2',
    lowerPrioNoAdvert: false,
    higherPrioSendAdvert: false,
    downTimerAdverts: 3,
    garp: {
      masterDelayUs: 5 * S,
      masterRepeat: 5,
      masterRefreshUs: 0,
      masterRefreshRepeat: 1,
      lowerPrioDelayUs: 5 * S,
      lowerPrioRepeat: 5,
    },
    ...overrides,
  };
}

export function advert(src: string, priority: number, advertIntervalCs = 100): InstanceEvent {
  return { type: 'advert', src, priority, advertIntervalCs };
}

/** Fixed order for timers due at the same instant, so runs are deterministic. */
const TIMER_ORDER: readonly TimerName[] = ['masterDown', 'adver', 'garpDelay', 'garpRefresh', 'garpLowerPrio'];

export function nextDue(s: InstanceSnapshot, untilUs: number): { timer: TimerName; at: number } | null {
  let best: { timer: TimerName; at: number } | null = null;
  for (const timer of TIMER_ORDER) {
    const at = s.timers[timer];
    if (at !== undefined && at <= untilUs && (best === null || at < best.at)) best = { timer, at };
  }
  return best;
}

export interface Logged {
  readonly t: number;
  readonly actions: readonly Action[];
}

/** One instance on a virtual clock. */
export class Instance {
  snap: InstanceSnapshot;
  now = 0;
  readonly log: Logged[] = [];

  constructor(p: InstanceParams) {
    this.snap = initialSnapshot(p);
  }

  /** Advances to `at` (firing due timers on the way), then applies `ev` at `at`; returns ev's actions. */
  send(ev: InstanceEvent, at = this.now): readonly Action[] {
    this.advanceTo(at);
    return this.apply(ev);
  }

  /** Fires every timer due up to and including `untilUs`, in deadline order. */
  advanceTo(untilUs: number): Logged[] {
    const fired: Logged[] = [];
    for (let due = nextDue(this.snap, untilUs); due !== null; due = nextDue(this.snap, untilUs)) {
      this.now = due.at;
      const actions = this.apply({ type: 'timer', timer: due.timer });
      fired.push({ t: due.at, actions });
    }
    this.now = Math.max(this.now, untilUs);
    return fired;
  }

  private apply(ev: InstanceEvent): readonly Action[] {
    const r = step(this.snap, ev, this.now);
    this.snap = r.state;
    this.log.push({ t: this.now, actions: r.actions });
    return r.actions;
  }
}

export interface Sent {
  readonly t: number;
  readonly from: string;
  readonly action: Action;
}

/** Several routers on one lossless, zero-delay link; router names are their primary addresses. */
export class Lan {
  now = 0;
  readonly routers = new Map<string, InstanceSnapshot>();
  readonly trace: Sent[] = [];
  /** While true, adverts are sent but nobody receives them (multicast filtered, docs/quirks.md Q30). */
  partitioned = false;

  add(p: InstanceParams): void {
    this.routers.set(p.primaryAddress, initialSnapshot(p));
  }

  state(name: string): InstanceSnapshot {
    const s = this.routers.get(name);
    if (s === undefined) throw new Error(`no router ${name}`);
    return s;
  }

  /** Applies an event to one router at the current time and delivers whatever it sends. */
  inject(name: string, ev: InstanceEvent): void {
    const queue: Array<{ name: string; ev: InstanceEvent }> = [{ name, ev }];
    for (let guard = 0; queue.length > 0; guard++) {
      if (guard > 1000) throw new Error('advert storm: the LAN did not settle');
      const next = queue.shift()!;
      const r = step(this.state(next.name), next.ev, this.now);
      this.routers.set(next.name, r.state);
      for (const action of r.actions) {
        this.trace.push({ t: this.now, from: next.name, action });
        if (action.type !== 'send-advert' || this.partitioned) continue;
        for (const [other, s] of this.routers) {
          if (other === next.name || s.state === 'INIT') continue;
          queue.push({ name: other, ev: advert(next.name, action.priority, action.advertIntervalCs) });
        }
      }
    }
  }

  advanceTo(untilUs: number): void {
    for (;;) {
      let best: { name: string; timer: TimerName; at: number } | null = null;
      for (const [name, s] of this.routers) {
        const due = nextDue(s, untilUs);
        if (due !== null && (best === null || due.at < best.at)) best = { name, ...due };
      }
      if (best === null) break;
      this.now = best.at;
      this.inject(best.name, { type: 'timer', timer: best.timer });
    }
    this.now = Math.max(this.now, untilUs);
  }

  /** Silent death (SIGKILL, cable pull on the far side): the router neither sends nor receives any more. */
  crash(name: string): void {
    this.routers.delete(name);
  }

  /** Advances the clock to `at`, then applies `ev` to router `name`. */
  at(at: number, name: string, ev: InstanceEvent): void {
    this.advanceTo(at);
    this.inject(name, ev);
  }

  holders(): string[] {
    return [...this.routers].filter(([, s]) => s.vipsInstalled).map(([n]) => n);
  }

  sentBy(name: string, type: Action['type'] = 'send-advert'): Sent[] {
    return this.trace.filter((x) => x.from === name && x.action.type === type);
  }

  transitions(name: string): Array<{ t: number; to: string }> {
    return this.trace
      .filter((x) => x.from === name && x.action.type === 'transition')
      .map((x) => ({ t: x.t, to: x.action.type === 'transition' ? x.action.to : '' }));
  }
}
