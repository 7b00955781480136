import { monotonicMs } from '../../src/util/clock.js';

/**
 * Maps wall-clock timestamps (pcap records, `ip -ts` lines: CLOCK_REALTIME) onto the monotonic timeline
 * (process.hrtime, CLOCK_MONOTONIC) used by every other observer.
 *
 * Date.now() only has 1 ms resolution, so a naive (Date.now(), hrtime) pair is off by up to 1 ms. Instead
 * `calibrate` spins until Date.now() ticks over and takes hrtime right at the edge: at that instant the wall
 * clock is exactly the new integer ms (to within one loop iteration, well under 1 µs on this hardware).
 * Both clocks are slewed alike by NTP; only a step of the wall clock (settimeofday) breaks the mapping,
 * which is why a capture calibrates again at stop and reports the difference as `driftMs`.
 */
export interface ClockPair {
  wallMs: number;
  monoMs: number;
}

export function calibrate(samples = 3): ClockPair {
  // Take the edge a few times and keep the tightest bracket (a preemption between the two reads widens it).
  let best: { pair: ClockPair; width: number } | undefined;
  for (let i = 0; i < samples; i++) {
    const start = Date.now();
    let before = monotonicMs();
    let wall = Date.now();
    while (wall === start) {
      before = monotonicMs();
      wall = Date.now();
    }
    const after = monotonicMs();
    const width = after - before;
    if (!best || width < best.width) best = { pair: { wallMs: wall, monoMs: (before + after) / 2 }, width };
  }
  return best!.pair;
}

export class ClockMap {
  constructor(
    readonly start: ClockPair,
    public end?: ClockPair,
  ) {}

  static now(): ClockMap {
    return new ClockMap(calibrate());
  }

  /** Wall ms → monotonic ms. Between two calibrations, the offset is interpolated linearly. */
  toMono(wallMs: number): number {
    const off0 = this.start.wallMs - this.start.monoMs;
    if (!this.end || this.end.wallMs === this.start.wallMs) return wallMs - off0;
    const off1 = this.end.wallMs - this.end.monoMs;
    const f = Math.min(1, Math.max(0, (wallMs - this.start.wallMs) / (this.end.wallMs - this.start.wallMs)));
    return wallMs - (off0 + f * (off1 - off0));
  }

  /** How much the wall/monotonic offset changed between the two calibrations (0 without an end pair). */
  get driftMs(): number {
    if (!this.end) return 0;
    return this.end.wallMs - this.end.monoMs - (this.start.wallMs - this.start.monoMs);
  }

  toJSON(): { start: ClockPair; end?: ClockPair } {
    return this.end ? { start: this.start, end: this.end } : { start: this.start };
  }
}
