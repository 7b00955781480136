import { HolderLog, type HolderWindow } from '../observers/holder-log.js';
import { type CheckResult, check, ms } from './check.js';
import { type AdvertEvent, at, type ScenarioTimeline } from './timeline.js';

/**
 * Pure assertions over a ScenarioTimeline. Times are measured from timeline events (capture and holder
 * sampler timestamps), never from when the harness happened to notice something.
 */

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** A declared transient: a 0- or ≥2-holder window that is expected and therefore not a failure. */
export interface ResolvedTransient {
  kind: 'none' | 'multi' | 'any';
  /** Longest allowed window. */
  maxMs: number;
  /** The window must start in [fromMs, toMs]. */
  fromMs: number;
  toMs: number;
  reason: string;
}

export function holderLog(tl: ScenarioTimeline): HolderLog {
  return new HolderLog(tl.holders, tl.endMs);
}

/** Holder windows of `vip` clipped to the range (windows entirely outside are dropped). */
export function holderWindows(tl: ScenarioTimeline, vip: string, range: TimeRange): HolderWindow[] {
  const out: HolderWindow[] = [];
  for (const w of holderLog(tl).windows(vip)) {
    const start = Math.max(w.startMs, range.fromMs);
    const end = Math.min(w.startMs + w.lengthMs, range.toMs);
    if (end <= start) continue;
    out.push({ ...w, startMs: start, lengthMs: end - start, open: w.open && end === w.startMs + w.lengthMs });
  }
  return out;
}

function describeWindow(tl: ScenarioTimeline, w: HolderWindow): string {
  const who = w.count === 0 ? 'no holder' : `${w.count} holders (${w.holders.join(', ')})`;
  return `${who} for ${ms(w.lengthMs)} ms${w.open ? '+' : ''} from ${at(tl, w.startMs)}`;
}

/**
 * How precisely the sampler placed the edges of a window: each change happened somewhere in (boundMs, tMs]
 * of the probe that saw it. Hosts are sampled by independent loops, so a handover seen as "r2 drops at t,
 * r1 gains at t + 0.1 ms" may have been an overlap or a gap: a window shorter than this proves nothing.
 */
function edgeUncertaintyMs(tl: ScenarioTimeline, vip: string, w: HolderWindow): number {
  const end = w.startMs + w.lengthMs;
  let u = 0;
  for (const h of tl.holders) {
    if (h.vip !== vip || h.boundMs === undefined || (h.tMs !== w.startMs && h.tMs !== end)) continue;
    u = Math.max(u, h.tMs - h.boundMs);
  }
  return u;
}

function allowedBy(w: HolderWindow, allowed: readonly ResolvedTransient[]): ResolvedTransient | undefined {
  const kind = w.count === 0 ? 'none' : 'multi';
  return allowed.find(
    (a) =>
      (a.kind === 'any' || a.kind === kind) && w.lengthMs <= a.maxMs && w.startMs >= a.fromMs && w.startMs <= a.toMs,
  );
}

/**
 * Exactly one holder of `vip` over the whole range. Every 0- or ≥2-holder window is reported with its
 * start and length; declared transients are counted but do not fail. A range the sampler never observed
 * fails too: "no data" is not "one holder".
 */
export function checkSingleHolder(
  tl: ScenarioTimeline,
  vip: string,
  range: TimeRange,
  opts: { allowed?: readonly ResolvedTransient[]; label?: string } = {},
): CheckResult {
  const label = opts.label ?? 'singleHolder';
  const windows = holderWindows(tl, vip, range);
  const failures: string[] = [];
  const first = windows[0];
  if (!first)
    return check([
      `${label}: no holder observation of ${vip} between ${at(tl, range.fromMs)} and ${at(tl, range.toMs)}`,
    ]);
  if (first.startMs > range.fromMs) {
    failures.push(`${label}: ${vip} not observed from ${at(tl, range.fromMs)} to ${at(tl, first.startMs)}`);
  }
  let bad = 0;
  let tolerated = 0;
  let unresolved = 0;
  let worst = 0;
  for (const w of windows) {
    if (w.class === 'single') continue;
    if (!w.open && w.lengthMs < edgeUncertaintyMs(tl, vip, w)) {
      unresolved++;
      continue;
    }
    const allowance = allowedBy(w, opts.allowed ?? []);
    if (allowance) {
      tolerated++;
      continue;
    }
    bad++;
    worst = Math.max(worst, w.lengthMs);
    failures.push(`${label}: ${describeWindow(tl, w)}`);
  }
  return check(failures, {
    [`${label}.badWindows`]: bad,
    [`${label}.allowedTransients`]: tolerated,
    [`${label}.belowSamplingResolution`]: unresolved,
    [`${label}.worstBadWindowMs`]: ms(worst),
  });
}

/**
 * Convergence time: the first instant at or after `fromMs` at which exactly one host holds `vip` and it is
 * `host`, measured from `fromMs`. With `stableMs`, that single-holder window must last at least that long
 * (or still be running at the end of observation), so a 20 ms flicker does not count as convergence.
 */
export function convergenceTime(
  tl: ScenarioTimeline,
  vip: string,
  host: string,
  fromMs: number,
  stableMs = 0,
): number | undefined {
  for (const w of holderWindows(tl, vip, { fromMs, toMs: tl.endMs })) {
    if (w.class !== 'single' || w.holders[0] !== host) continue;
    if (w.lengthMs >= stableMs || w.open) return w.startMs - fromMs;
  }
  return undefined;
}

export function checkConvergence(
  tl: ScenarioTimeline,
  opts: { vip: string; host: string; fromMs: number; boundMs: number; stableMs?: number; label?: string },
): CheckResult {
  const label = opts.label ?? 'convergence';
  const t = convergenceTime(tl, opts.vip, opts.host, opts.fromMs, opts.stableMs);
  if (t === undefined) {
    const last = holderLog(tl).windows(opts.vip).at(-1);
    const end = last ? `; at the end: ${last.holders.join(', ') || 'no holder'}` : '';
    return check([`${label}: ${opts.host} never became the only holder of ${opts.vip}${end}`], {
      [`${label}.boundMs`]: ms(opts.boundMs),
    });
  }
  const failures =
    t > opts.boundMs
      ? [`${label}: ${opts.host} alone held ${opts.vip} after ${ms(t)} ms > ${ms(opts.boundMs)} ms`]
      : [];
  return check(failures, { [`${label}Ms`]: ms(t), [`${label}.boundMs`]: ms(opts.boundMs) });
}

/** First advert from `host` at or after `fromMs` with a priority above 0 (its first advert as Master). */
export function firstAdvertAsMaster(tl: ScenarioTimeline, host: string, fromMs: number): AdvertEvent | undefined {
  return tl.adverts.find((a) => a.host === host && a.tMs >= fromMs && a.priority > 0);
}

/** The instant `host` took over after `fromMs`: its first advert in the capture, else the holder sampler. */
export function takeoverTime(
  tl: ScenarioTimeline,
  vip: string,
  host: string,
  fromMs: number,
): { tMs: number; source: string } | undefined {
  const advert = firstAdvertAsMaster(tl, host, fromMs);
  if (advert) return { tMs: advert.tMs, source: 'advert' };
  const gained = tl.holders.find((h) => h.host === host && h.vip === vip && h.held && h.tMs >= fromMs);
  return gained ? { tMs: gained.tMs, source: 'holder' } : undefined;
}

export interface FailoverOptions {
  vip: string;
  oldMaster: string;
  newMaster: string;
  /** When the fault was injected. */
  faultMs: number;
  /** Master_Down_Interval of the new master (RFC 3768/5798 §6.1). */
  masterDownMs: number;
  advertIntervalMs: number;
  toleranceMs: number;
  label?: string;
}

/**
 * A silent Master failure: the backup's Master_Down_Timer was last reset by the old master's last advert, so
 * the takeover comes Master_Down_Interval after that advert. Measured from the fault the RFC window is
 * (Master_Down_Interval − interval, Master_Down_Interval] (the fault lands somewhere in an advert cycle);
 * both are reported, the bound is checked from the last advert in the capture, which is exact.
 * The new master must hold the VIP; "exactly one holder" is not required here because a crashed keepalived
 * keeps its VIP configured (docs/quirks.md Q2).
 */
export function checkFailover(tl: ScenarioTimeline, o: FailoverOptions): CheckResult {
  const label = o.label ?? 'failover';
  const lo = o.masterDownMs - o.advertIntervalMs;
  const hi = o.masterDownMs;
  const m: Record<string, number | string> = {
    [`${label}.windowMs`]: `(${ms(lo)}, ${ms(hi)}] + ${o.toleranceMs}`,
  };
  const takeover = takeoverTime(tl, o.vip, o.newMaster, o.faultMs);
  if (!takeover) return check([`${label}: ${o.newMaster} never took over after the fault at ${at(tl, o.faultMs)}`], m);
  const wrong = tl.adverts.find(
    (a) =>
      a.tMs >= o.faultMs && a.tMs < takeover.tMs && a.priority > 0 && a.host !== o.oldMaster && a.host !== o.newMaster,
  );
  const failures: string[] = [];
  if (wrong)
    failures.push(
      `${label}: ${wrong.host ?? wrong.srcIp} advertised as Master at ${at(tl, wrong.tMs)} before ${o.newMaster}`,
    );
  m[`${label}FromFaultMs`] = ms(takeover.tMs - o.faultMs);
  m[`${label}.source`] = takeover.source;
  const last = [...tl.adverts].reverse().find((a) => a.host === o.oldMaster && a.priority > 0 && a.tMs < takeover.tMs);
  if (last && takeover.source === 'advert') {
    const d = takeover.tMs - last.tMs;
    m[`${label}Ms`] = ms(d);
    if (d <= lo - o.toleranceMs || d > hi + o.toleranceMs) {
      failures.push(
        `${label}: ${o.newMaster} took over ${ms(d)} ms after ${o.oldMaster}'s last advert (${at(tl, last.tMs)}), outside (${ms(lo)}, ${ms(hi)}] ± ${o.toleranceMs} ms`,
      );
    }
  } else {
    // Without the old master's last advert in the capture, fall back to the window measured from the fault.
    const d = takeover.tMs - o.faultMs;
    m[`${label}Ms`] = ms(d);
    if (d > hi + o.toleranceMs) {
      failures.push(
        `${label}: ${o.newMaster} took over ${ms(d)} ms after the fault, beyond ${ms(hi)} + ${o.toleranceMs} ms`,
      );
    }
  }
  const holdsAtEnd = holderLog(tl).holdersAt(o.vip, tl.endMs).includes(o.newMaster);
  if (!holdsAtEnd) failures.push(`${label}: ${o.newMaster} does not hold ${o.vip} at the end (${at(tl, tl.endMs)})`);
  return check(failures, m);
}

export interface GracefulOptions {
  vip: string;
  oldMaster: string;
  newMaster: string;
  /** When the graceful stop was requested. */
  stopMs: number;
  /** Skew_Time of the new master (RFC 5798 §6.1). */
  skewMs: number;
  toleranceMs: number;
  label?: string;
}

/**
 * A graceful stop: the old master sends priority 0 and the backup takes over after Skew_Time (RFC 5798 §6.4.2
 * "If the Priority is zero, set the Master_Down_Timer to Skew_Time"), measured from that priority-0 advert.
 */
export function checkGracefulTakeover(tl: ScenarioTimeline, o: GracefulOptions): CheckResult {
  const label = o.label ?? 'graceful';
  const m: Record<string, number | string> = { [`${label}.boundMs`]: ms(o.skewMs + o.toleranceMs) };
  const zero = tl.adverts.find((a) => a.host === o.oldMaster && a.priority === 0 && a.tMs >= o.stopMs);
  if (!zero)
    return check([`${label}: no priority-0 advert from ${o.oldMaster} after the stop at ${at(tl, o.stopMs)}`], m);
  m[`${label}.priority0AfterStopMs`] = ms(zero.tMs - o.stopMs);
  const takeover = takeoverTime(tl, o.vip, o.newMaster, zero.tMs);
  if (!takeover)
    return check([`${label}: ${o.newMaster} never took over after the priority-0 advert at ${at(tl, zero.tMs)}`], m);
  const d = takeover.tMs - zero.tMs;
  m[`${label}Ms`] = ms(d);
  m[`${label}.source`] = takeover.source;
  const failures =
    d > o.skewMs + o.toleranceMs
      ? [
          `${label}: ${o.newMaster} took over ${ms(d)} ms after the priority-0 advert, beyond Skew_Time ${ms(o.skewMs)} + ${o.toleranceMs} ms`,
        ]
      : [];
  return check(failures, m);
}

/**
 * Transitions of `vip` in the range: how often some host gained it (holder sampler), and how often a host
 * reported entering MASTER (implementation state), the chaos scenarios' "number of transitions".
 */
export function countTransitions(
  tl: ScenarioTimeline,
  vip: string,
  range: TimeRange,
): { acquisitions: number; masterEntries: number } {
  const acquisitions = tl.holders.filter(
    (h) => h.vip === vip && h.held && !h.initial && h.tMs >= range.fromMs && h.tMs <= range.toMs,
  ).length;
  const masterEntries = tl.states.filter(
    (s) => s.state === 'MASTER' && s.tMs >= range.fromMs && s.tMs <= range.toMs,
  ).length;
  return { acquisitions, masterEntries };
}

/** The first window of ≥2 holders at or after `fromMs` (the seed's split brain), with its start. */
export function firstMultiHolder(tl: ScenarioTimeline, vip: string, fromMs: number): HolderWindow | undefined {
  return holderLog(tl)
    .multiHolderWindows(vip)
    .find((w) => w.startMs + w.lengthMs > fromMs);
}
