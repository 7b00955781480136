/**
 * Pure bookkeeping for VIP holder observations: a list of change events and the analysis on top of it.
 * No I/O here, so window analysis can be tested with hand-written events.
 */

export interface HolderChange {
  /** Monotonic ms (src/util/clock.ts monotonicMs) of the observation that saw the new state. */
  tMs: number;
  host: string;
  vip: string;
  held: boolean;
  /**
   * Last observation that still saw the old state: the change happened in (boundMs, tMs]. Absent for the
   * first observation of a (host, vip), which is reported as a change from "unknown" (`initial: true`).
   */
  boundMs?: number;
  initial?: boolean;
}

export type HolderClass = 'none' | 'single' | 'multi';

export interface HolderWindow {
  vip: string;
  /** Sorted host names holding the VIP during the window. */
  holders: string[];
  count: number;
  class: HolderClass;
  startMs: number;
  lengthMs: number;
  /** True when the window was still running when observation ended (its length is a lower bound). */
  open: boolean;
}

export function classify(count: number): HolderClass {
  return count === 0 ? 'none' : count === 1 ? 'single' : 'multi';
}

export class HolderLog {
  readonly events: HolderChange[] = [];
  /** Monotonic ms of the first and last observation (undefined until something was observed). */
  startMs: number | undefined;
  endMs: number | undefined;

  constructor(events: readonly HolderChange[] = [], endMs?: number) {
    for (const e of events) this.add(e);
    if (endMs !== undefined) this.observed(endMs);
  }

  add(e: HolderChange): void {
    this.events.push(e);
    // Probes of different hosts finish out of order; keep the list sorted (insertion is almost always at the end).
    let i = this.events.length - 1;
    while (i > 0 && this.events[i - 1]!.tMs > e.tMs) {
      this.events[i] = this.events[i - 1]!;
      i--;
    }
    this.events[i] = e;
    this.observed(e.tMs);
  }

  /** Record that an observation happened at t (extends the analysed period). */
  observed(t: number): void {
    if (this.startMs === undefined || t < this.startMs) this.startMs = t;
    if (this.endMs === undefined || t > this.endMs) this.endMs = t;
  }

  vips(): string[] {
    return [...new Set(this.events.map((e) => e.vip))];
  }

  /** Hosts holding `vip` at time t (state after every event with tMs <= t), sorted. */
  holdersAt(vip: string, t: number): string[] {
    const state = new Map<string, boolean>();
    for (const e of this.events) {
      if (e.tMs > t) break;
      if (e.vip === vip) state.set(e.host, e.held);
    }
    return [...state]
      .filter(([, held]) => held)
      .map(([host]) => host)
      .sort();
  }

  /**
   * Consecutive intervals, from the first observation of `vip` to the end of observation, during which the set
   * of holders did not change. Windows of every class are returned; filter on `class` for 0 / 1 / ≥2 holders.
   */
  windows(vip: string): HolderWindow[] {
    const evs = this.events.filter((e) => e.vip === vip);
    if (evs.length === 0 || this.endMs === undefined) return [];
    const state = new Map<string, boolean>();
    const out: HolderWindow[] = [];
    let cur: { holders: string[]; startMs: number } | undefined;
    const close = (at: number, open: boolean) => {
      if (!cur) return;
      const count = cur.holders.length;
      out.push({
        vip,
        holders: cur.holders,
        count,
        class: classify(count),
        startMs: cur.startMs,
        lengthMs: at - cur.startMs,
        open,
      });
    };
    for (let i = 0; i < evs.length; i++) {
      const e = evs[i]!;
      state.set(e.host, e.held);
      // Apply every event with the same timestamp before deciding, so simultaneous changes make one window.
      if (evs[i + 1]?.tMs === e.tMs) continue;
      const holders = [...state]
        .filter(([, h]) => h)
        .map(([host]) => host)
        .sort();
      if (cur && sameList(cur.holders, holders)) continue;
      close(e.tMs, false);
      cur = { holders, startMs: e.tMs };
    }
    close(this.endMs, true);
    return out.filter((w) => w.lengthMs > 0 || w.open);
  }

  /** Windows with ≥2 holders, adjacent ones merged ({A,B} then {A,B,C} is one split-brain episode). */
  multiHolderWindows(vip: string): HolderWindow[] {
    const out: HolderWindow[] = [];
    for (const w of this.windows(vip)) {
      const last = out[out.length - 1];
      if (w.class !== 'multi') continue;
      if (last && last.startMs + last.lengthMs === w.startMs) {
        last.holders = [...new Set([...last.holders, ...w.holders])].sort();
        last.count = Math.max(last.count, w.count);
        last.lengthMs += w.lengthMs;
        last.open = w.open;
      } else {
        out.push({ ...w });
      }
    }
    return out;
  }

  /** If exactly one host holds `vip` at the end of observation: that host and since when. */
  singleHolderSince(vip: string): { host: string; sinceMs: number } | undefined {
    const last = this.windows(vip).at(-1);
    if (last?.class !== 'single') return undefined;
    return { host: last.holders[0]!, sinceMs: last.startMs };
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
