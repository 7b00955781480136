import { monotonicMs } from '../../src/util/clock.js';
import { TimeoutError } from '../../src/util/errors.js';
import { type HolderChange, HolderLog } from './holder-log.js';
import { vipKey } from './ip-text.js';
import { ProcHolderProbe } from './proc-probe.js';

/**
 * Returns the subset of `vips` this host holds right now. For implementations where address presence is not
 * the answer (FRR: the VIP sits on a macvlan that is `protodown on` while Backup, quirks Q19).
 */
export type HolderProbe = (vips: readonly string[]) => Promise<Iterable<string>> | Iterable<string>;

export interface HolderHostSpec {
  host: string;
  /** Pid of a process inside the host's netns (the backend's `sleep infinity` anchor). */
  anchorPid?: number;
  /** Custom probe; wins over anchorPid. A forking probe (~4 ms) should get a longer periodMs. */
  probe?: HolderProbe;
  /** Overrides the observer's period for this host. */
  periodMs?: number;
}

export interface HolderObserverOptions {
  hosts: readonly HolderHostSpec[];
  /** VIPs as written in the topology; a "/prefix" is ignored. Events report them without the prefix. */
  vips: readonly string[];
  /** Sampling period; default 5 ms (200 Hz). */
  periodMs?: number;
  onChange?: (e: HolderChange) => void;
}

export interface SampleStats {
  host: string;
  samples: number;
  /** Wall time spent in one probe call (read + parse), ms. */
  costMeanMs: number;
  costP50Ms: number;
  costP99Ms: number;
  costMaxMs: number;
  /**
   * Observed rate, median and largest gap between two consecutive samples. On a loaded 2-core machine (load
   * average 12 while other suites ran) gaps of ~60 ms appear whatever the process does: CPU starvation, not this
   * code. Each change's (boundMs, tMs] interval carries that uncertainty honestly; a scenario can reject a run
   * whose maxGapMs exceeds its precision budget.
   */
  rateHz: number;
  gapP50Ms: number;
  maxGapMs: number;
}

interface HostLoop {
  spec: HolderHostSpec;
  probe: HolderProbe;
  close?: () => void;
  periodMs: number;
  last: Map<string, { held: boolean; tMs: number }>;
  costs: number[];
  gaps: number[];
  firstMs?: number;
  lastMs?: number;
  maxGapMs: number;
  done?: Promise<void>;
}

/**
 * Samples, per host, which VIPs are held, and records changes with monotonic timestamps.
 *
 * Each host has its own loop so that a slow custom probe does not slow the others. A change is stamped with the
 * midpoint of the probe call that saw it, and `boundMs` is the midpoint of the previous probe: the true change
 * time lies in (boundMs, tMs], within ± half a probe's cost.
 */
export class HolderObserver implements AsyncDisposable {
  readonly log = new HolderLog();
  private readonly loops: HostLoop[];
  private readonly vips: string[];
  private stopped = false;
  private wake = new Set<() => void>();
  private waiters = new Set<() => void>();

  private constructor(private readonly opts: HolderObserverOptions) {
    this.vips = opts.vips.map((v) => vipKey(v).vip);
    this.loops = opts.hosts.map((spec) => {
      let probe = spec.probe;
      let close: (() => void) | undefined;
      if (!probe) {
        if (spec.anchorPid === undefined) throw new TypeError(`host ${spec.host}: need anchorPid or probe`);
        const p = new ProcHolderProbe(spec.anchorPid, this.vips);
        probe = () => p.held();
        close = () => p.close();
      }
      const loop: HostLoop = {
        spec,
        probe,
        periodMs: spec.periodMs ?? opts.periodMs ?? 5,
        last: new Map(),
        costs: [],
        gaps: [],
        maxGapMs: 0,
      };
      if (close) loop.close = close;
      return loop;
    });
  }

  /** Start sampling; resolves after every host has been sampled once (so `holdersAt(now)` is meaningful). */
  static async start(opts: HolderObserverOptions): Promise<HolderObserver> {
    const obs = new HolderObserver(opts);
    try {
      await Promise.all(obs.loops.map((l) => obs.sample(l)));
    } catch (err) {
      obs.closeProbes();
      throw err;
    }
    for (const l of obs.loops) l.done = obs.run(l);
    return obs;
  }

  holdersAt(vip: string, t = monotonicMs()): string[] {
    return this.log.holdersAt(vipKey(vip).vip, t);
  }

  /** Resolve once `pred` holds over the log (checked after each sample); throws TimeoutError with the holders. */
  async waitFor(
    pred: (log: HolderLog) => boolean,
    timeoutMs: number,
    description = 'holder condition',
  ): Promise<number> {
    const t0 = monotonicMs();
    while (!pred(this.log)) {
      const left = timeoutMs - (monotonicMs() - t0);
      if (left <= 0 || this.stopped) {
        const last = Object.fromEntries(this.vips.map((v) => [v, this.log.holdersAt(v, Number.POSITIVE_INFINITY)]));
        throw new TimeoutError(description, timeoutMs, last);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
    return monotonicMs();
  }

  stats(): SampleStats[] {
    return this.loops.map((l) => {
      const sorted = [...l.costs].sort((a, b) => a - b);
      const span = (l.lastMs ?? 0) - (l.firstMs ?? 0);
      const gaps = [...l.gaps].sort((a, b) => a - b);
      return {
        host: l.spec.host,
        samples: l.costs.length,
        costMeanMs: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
        costP50Ms: sorted[Math.floor(sorted.length / 2)] ?? 0,
        costP99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0,
        costMaxMs: sorted.at(-1) ?? 0,
        rateHz: span > 0 ? ((l.costs.length - 1) * 1000) / span : 0,
        gapP50Ms: gaps[Math.floor(gaps.length / 2)] ?? 0,
        maxGapMs: l.maxGapMs,
      };
    });
  }

  /** Stop every loop (waits for an in-flight probe) and close the /proc fds. Idempotent. */
  async stop(): Promise<HolderLog> {
    if (!this.stopped) {
      this.stopped = true;
      for (const w of this.wake) w();
      await Promise.all(this.loops.map((l) => l.done));
      this.closeProbes();
      this.log.observed(monotonicMs());
      for (const w of this.waiters) w();
    }
    return this.log;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private closeProbes(): void {
    for (const l of this.loops) l.close?.();
  }

  private async run(l: HostLoop): Promise<void> {
    let next = monotonicMs();
    while (!this.stopped) {
      next += l.periodMs;
      const now = monotonicMs();
      // After a stall, do not fire a burst of catch-up samples: restart the schedule from now.
      if (next < now) next = now;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, next - now);
        const wake = this.wake;
        function done() {
          clearTimeout(timer);
          wake.delete(done);
          resolve();
        }
        wake.add(done);
      });
      if (this.stopped) break;
      await this.sample(l);
    }
  }

  private async sample(l: HostLoop): Promise<void> {
    const t0 = monotonicMs();
    const held = new Set(await l.probe(this.vips));
    const t1 = monotonicMs();
    const t = (t0 + t1) / 2;
    l.costs.push(t1 - t0);
    if (l.lastMs !== undefined) {
      l.gaps.push(t - l.lastMs);
      l.maxGapMs = Math.max(l.maxGapMs, t - l.lastMs);
    }
    l.firstMs ??= t;
    for (const vip of this.vips) {
      const now = held.has(vip);
      const prev = l.last.get(vip);
      if (prev === undefined || prev.held !== now) {
        const e: HolderChange = { tMs: t, host: l.spec.host, vip, held: now };
        if (prev === undefined) e.initial = true;
        else e.boundMs = l.lastMs ?? prev.tMs;
        this.log.add(e);
        this.opts.onChange?.(e);
      }
      l.last.set(vip, { held: now, tMs: t });
    }
    l.lastMs = t;
    this.log.observed(t);
    for (const w of this.waiters) w();
    this.waiters.clear();
  }
}
