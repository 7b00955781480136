import {
  checkFailover,
  checkSingleHolder,
  convergenceTime,
  holderLog,
  type ResolvedTransient,
} from '../../harness/scenario/assertions.js';
import { rfcBounds } from '../../harness/scenario/bounds.js';
import type { ScenarioTimeline } from '../../harness/scenario/timeline.js';
import type { ScenarioResult } from '../../harness/scenario/types.js';
import type { VrrpInstanceSettings } from '../../harness/topology/vrrp-settings.js';

/**
 * VRRP matchers over a ScenarioTimeline (or a ScenarioResult, whose timeline is used). All times are the
 * timeline's monotonic ms, like the marks a scenario records; `timeline.t0Ms` is the start of the run.
 */

export type TimelineSubject = ScenarioTimeline | Pick<ScenarioResult, 'timeline'>;

export interface SingleHolderOptions {
  fromMs?: number;
  toMs?: number;
  /** Declared transients (resolved windows) that do not fail the match. */
  allowed?: ResolvedTransient[];
}

export interface ConvergeOptions {
  /** The host that must end up the only holder. */
  host: string;
  /** Default: the timeline's first VIP. */
  vip?: string;
  /** Default: the timeline's t0. */
  fromMs?: number;
  /** A single-holder window shorter than this (and not still running) is a flicker, not convergence. */
  stableMs?: number;
}

export interface RfcWindowOptions {
  oldMaster: string;
  newMaster: string;
  faultMs: number;
  /** The new Master's settings (priority, version, interval), from which the RFC window is computed. */
  settings: Pick<VrrpInstanceSettings, 'priority' | 'version' | 'advertIntervalS'>;
  toleranceMs?: number;
  vip?: string;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function timelineOf(received: unknown): ScenarioTimeline {
  const r = received as Partial<ScenarioTimeline> & { timeline?: ScenarioTimeline };
  if (r && Array.isArray(r.holders) && typeof r.endMs === 'number') return r as ScenarioTimeline;
  if (r?.timeline && Array.isArray(r.timeline.holders)) return r.timeline;
  throw new TypeError('expected a ScenarioTimeline or a ScenarioResult');
}

function firstVip(tl: ScenarioTimeline): string {
  const vip = tl.vips[0] ?? tl.holders[0]?.vip;
  if (vip === undefined) throw new TypeError('the timeline has no VIP; pass { vip }');
  return vip;
}

const rel = (tl: ScenarioTimeline, t: number) => `+${((t - tl.t0Ms) / 1000).toFixed(3)} s`;

export const vrrpMatchers = {
  toHaveSingleVipHolder(received: unknown, vip: string, opts: SingleHolderOptions = {}): MatcherResult {
    const tl = timelineOf(received);
    const fromMs = opts.fromMs ?? tl.t0Ms;
    const toMs = opts.toMs ?? tl.endMs;
    const r = checkSingleHolder(tl, vip, { fromMs, toMs }, { allowed: opts.allowed ?? [] });
    const span = `${rel(tl, fromMs)} – ${rel(tl, toMs)}`;
    return {
      pass: r.ok,
      message: () =>
        r.ok
          ? `expected ${vip} not to have exactly one holder over ${span}, but it had`
          : `expected exactly one holder of ${vip} over ${span}:\n  ${r.failures.join('\n  ')}`,
    };
  },

  toConvergeWithin(received: unknown, boundMs: number, opts: ConvergeOptions): MatcherResult {
    const tl = timelineOf(received);
    const vip = opts.vip ?? firstVip(tl);
    const fromMs = opts.fromMs ?? tl.t0Ms;
    const t = convergenceTime(tl, vip, opts.host, fromMs, opts.stableMs);
    const pass = t !== undefined && t <= boundMs;
    const endHolders = holderLog(tl).holdersAt(vip, tl.endMs).join(', ') || 'nobody';
    return {
      pass,
      message: () =>
        t === undefined
          ? `expected ${opts.host} to become the only holder of ${vip} within ${boundMs} ms, but it never did (at the end: ${endHolders})`
          : pass
            ? `expected ${opts.host} not to converge on ${vip} within ${boundMs} ms, but it did after ${t.toFixed(1)} ms`
            : `expected ${opts.host} to become the only holder of ${vip} within ${boundMs} ms, but it took ${t.toFixed(1)} ms`,
    };
  },

  toFailOverWithinRfcWindow(received: unknown, opts: RfcWindowOptions): MatcherResult {
    const tl = timelineOf(received);
    const b = rfcBounds(opts.settings);
    const r = checkFailover(tl, {
      vip: opts.vip ?? firstVip(tl),
      oldMaster: opts.oldMaster,
      newMaster: opts.newMaster,
      faultMs: opts.faultMs,
      masterDownMs: b.masterDownMs,
      advertIntervalMs: b.advertIntervalMs,
      toleranceMs: opts.toleranceMs ?? 0,
    });
    const window = `(${b.failoverLowerMs.toFixed(1)}, ${b.masterDownMs.toFixed(1)}] ms + ${opts.toleranceMs ?? 0} ms`;
    return {
      pass: r.ok,
      message: () =>
        r.ok
          ? `expected ${opts.newMaster} not to take over inside ${window}, but it did after ${r.measurements.failoverMs} ms`
          : `expected ${opts.newMaster} to take over from ${opts.oldMaster} inside ${window}:\n  ${r.failures.join('\n  ')}`,
    };
  },
};

export interface VrrpMatchers<R = unknown> {
  /** Exactly one host holds `vip` over [fromMs, toMs] (default the whole timeline); 0/≥2-holder windows are listed. */
  toHaveSingleVipHolder(vip: string, opts?: SingleHolderOptions): R;
  /** `host` becomes the only holder within `boundMs` of `fromMs` (default t0). */
  toConvergeWithin(boundMs: number, opts: ConvergeOptions): R;
  /** A silent Master failure is taken over inside (Master_Down_Interval − interval, Master_Down_Interval] + tolerance. */
  toFailOverWithinRfcWindow(opts: RfcWindowOptions): R;
}
