import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImplName } from '../adapters/types.js';
import { seededRandom } from '../fuzz/random.js';
import { writeReports } from '../reports/write-reports.js';
import { checkSingleHolder, countTransitions } from '../scenario/assertions.js';
import { check } from '../scenario/check.js';
import { DEFAULT_TOLERANCE_MS, runScenario } from '../scenario/run-scenario.js';
import { FAST_THREE_HOSTS, startAndConverge } from '../scenario/steps.js';
import { at, type ScenarioTimeline } from '../scenario/timeline.js';
import type { AssertionContext, Scenario, ScenarioContext, ScenarioResult, ScenarioStep } from '../scenario/types.js';
import { type Episode, FAULT_KINDS, type FaultKind, planSoak } from './plan.js';

/**
 * `vrrp-lab soak`: three routers (v3, 0.2 s; nginx with a tracked health check where the implementation
 * tracks scripts), random faults from the impairment set for a duration, each healed before the next.
 * Invariant, checked on the whole sampled timeline: from each heal + its RFC bound until the next fault,
 * exactly one VIP holder. A window of none or several is a violation, reported with a timeline excerpt.
 */
export interface SoakOptions {
  impl: ImplName;
  durationMs: number;
  seed: number;
  toleranceMs?: number;
  runsDir?: string;
  report?: string;
  progress?: (msg: string) => void;
}

export interface SoakViolation {
  episode: number;
  fault: string;
  problem: string;
  excerpt: string[];
}

export interface SoakResult {
  impl: ImplName;
  seed: number;
  status: ScenarioResult['status'];
  ranMs: number;
  episodes: number;
  transitions: number;
  transitionsPerHour: number;
  violations: SoakViolation[];
  /** Problems that are not invariant violations (a step that timed out, a skip reason). */
  errors: string[];
}

const STEADY_MS = 1000;
const TRACK = { name: 'chk_nginx', script: '{{nginxCheck}}', weight: -60, intervalS: 1, timeoutS: 1, rise: 1, fall: 1 };

/** Time after a heal within which one holder must be back (RFC timers, plus what the fault itself adds). */
export function healBoundMs(
  kind: FaultKind,
  b: { masterDownMs: number; advertIntervalMs: number; toleranceMs: number },
): number {
  // A recovered health check raises the priority only after rise × interval (+ the check's timeout). A
  // frozen daemon's check stalls with it: after the thaw the check it was running counts as timed out, the
  // priority dips once and comes back the same way (seen in a soak, seed 1: a preemption 1.7 s after a thaw).
  const tracked = kind === 'nginx-fail' || kind === 'freeze';
  const extra = tracked ? (TRACK.rise * TRACK.intervalS + TRACK.timeoutS) * 1000 : 0;
  return b.masterDownMs + 2 * b.advertIntervalMs + b.toleranceMs + extra;
}

function faultLabel(e: Episode): string {
  return `${e.kind}${e.lossPct === undefined ? '' : ` ${e.lossPct}%`} ${e.host}`;
}

/** Applies the fault and returns its heal. */
async function inject(ctx: ScenarioContext, e: Episode): Promise<() => Promise<void>> {
  const f = ctx.faults;
  const unsupported = (what: string) => new Error(`${what} is not available on the ${ctx.backend} backend`);
  switch (e.kind) {
    case 'loss':
      return f.loss(e.host, e.lossPct ?? 30);
    case 'multicast-cut':
      if (!f.dropVrrp) throw unsupported('dropping VRRP');
      return f.dropVrrp(e.host);
    case 'freeze':
      if (!f.freeze) throw unsupported('freezing');
      return f.freeze(e.host);
    default: {
      // The faults whose undo is another injector call: [do, undo].
      const pairs = {
        'link-flap': [f.linkDown, f.linkUp],
        crash: [f.crash, f.start],
        'graceful-restart': [f.stop, f.start],
        'nginx-fail': [f.nginxFail, f.nginxRecover],
      } as const;
      const [apply, undo] = pairs[e.kind];
      await apply(e.host);
      return () => undo(e.host);
    }
  }
}

function episodeSteps(e: Episode, bound: (ctx: ScenarioContext) => number): ScenarioStep[] {
  let heal: (() => Promise<void>) | undefined;
  return [
    {
      name: `fault ${e.index}: ${faultLabel(e)}`,
      run: async (ctx) => {
        ctx.mark(`fault:${e.index}`);
        heal = await inject(ctx, e);
        await ctx.observe(e.holdMs);
      },
    },
    {
      name: `heal ${e.index}`,
      run: async (ctx) => {
        await heal?.();
        ctx.mark(`healed:${e.index}`);
        await ctx.observe(bound(ctx) + STEADY_MS);
      },
    },
  ];
}

/** Holder changes and faults around a window, one line each, for the report of a violation. */
export function timelineExcerpt(tl: ScenarioTimeline, vip: string, fromMs: number, toMs: number): string[] {
  const lines: [number, string][] = [
    ...tl.holders
      .filter((h) => h.vip === vip && h.tMs >= fromMs && h.tMs <= toMs)
      .map((h): [number, string] => [h.tMs, `${h.host} ${h.held ? 'holds' : 'releases'} ${vip}`]),
    ...tl.faults.flatMap((f): [number, string][] => [
      [f.tMs, `fault: ${f.label}`],
      ...(f.endMs === undefined ? [] : [[f.endMs, `healed: ${f.label}`] as [number, string]]),
    ]),
  ];
  return lines
    .filter(([t]) => t >= fromMs && t <= toMs)
    .sort((a, b) => a[0] - b[0])
    .slice(0, 40)
    .map(([t, s]) => `${at(tl, t)}  ${s}`);
}

export function soakScenario(o: { impl: ImplName; durationMs: number; seed: number }): {
  scenario: Scenario;
  episodes: Episode[];
} {
  const tracking = o.impl !== 'frr';
  const routers = ['r1', 'r2', 'r3'];
  const kinds = FAULT_KINDS.filter((k) => tracking || k !== 'nginx-fail');
  // Overhead per episode for planning: the heal bound at 0.2 s (~0.9 s), the steady window, the start-up.
  const episodes = planSoak(seededRandom(o.seed), {
    durationMs: o.durationMs,
    routers,
    kinds,
    episodeOverheadMs: 2000 + STEADY_MS,
  });
  const bounds = (ctx: Pick<ScenarioContext, 'routers' | 'bounds' | 'toleranceMs'>, kind: FaultKind) => {
    const b = ctx.routers.map((h) => ctx.bounds(h));
    return healBoundMs(kind, {
      masterDownMs: Math.max(...b.map((x) => x.masterDownMs)),
      advertIntervalMs: Math.max(...b.map((x) => x.advertIntervalMs)),
      toleranceMs: ctx.toleranceMs,
    });
  };
  const scenario: Scenario = {
    name: 'soak',
    description: `Random faults for ${Math.round(o.durationMs / 1000)} s (seed ${o.seed}); after each heal exactly one VIP holder within the RFC bound.`,
    topology: {
      ...FAST_THREE_HOSTS,
      overrides: {
        vrrp: { ...FAST_THREE_HOSTS.overrides.vrrp, ...(tracking ? { trackScripts: [TRACK] } : {}) },
        ...(tracking ? { hosts: Object.fromEntries(routers.map((r) => [r, { nginx: true }])) } : {}),
      },
    },
    timeoutMs: o.durationMs * 2 + 120_000,
    steps: [startAndConverge(), ...episodes.flatMap((e) => episodeSteps(e, (ctx) => bounds(ctx, e.kind)))],
    keyMeasurement: 'soak.violations',
    assertions: (ctx: AssertionContext) => {
      const vip = ctx.vips[0] as string;
      const tl = ctx.timeline;
      const violations: SoakViolation[] = [];
      for (const e of episodes) {
        const healed = ctx.marks[`healed:${e.index}`];
        if (healed === undefined) break;
        const from = healed + bounds(ctx, e.kind);
        const to = ctx.marks[`fault:${e.index + 1}`] ?? tl.endMs;
        if (to <= from) continue;
        const r = checkSingleHolder(tl, vip, { fromMs: from, toMs: to }, { label: `episode ${e.index}` });
        for (const problem of r.failures) {
          violations.push({
            episode: e.index,
            fault: faultLabel(e),
            problem,
            excerpt: timelineExcerpt(tl, vip, (ctx.marks[`fault:${e.index}`] ?? healed) - 500, to),
          });
        }
      }
      const converged = ctx.marks.converged ?? tl.t0Ms;
      const transitions = countTransitions(tl, vip, { fromMs: converged, toMs: tl.endMs }).acquisitions;
      return [
        check(
          violations.map((v) => `${v.fault} (episode ${v.episode}): ${v.problem}`),
          {
            'soak.violations': violations.length,
            'soak.episodes': episodes.length,
            'soak.transitions': transitions,
            'soak.transitionsPerHour': Math.round((transitions / Math.max(1, tl.endMs - converged)) * 3_600_000),
            'soak.violationsJson': JSON.stringify(violations),
          },
        ),
      ];
    },
  };
  return { scenario, episodes };
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const { scenario, episodes } = soakScenario(o);
  o.progress?.(`${o.impl}: ${episodes.length} episodes over ~${Math.round(o.durationMs / 1000)} s (seed ${o.seed})`);
  const r = await runScenario(scenario, {
    impl: o.impl,
    toleranceMs: o.toleranceMs ?? DEFAULT_TOLERANCE_MS,
    ...(o.runsDir === undefined ? {} : { runsDir: o.runsDir }),
    progress: (p) =>
      o.progress?.(`${o.impl}: +${(p.elapsedMs / 1000).toFixed(1)} s ${p.step}${p.message ? `: ${p.message}` : ''}`),
  });
  const violations = JSON.parse(String(r.measurements['soak.violationsJson'] ?? '[]')) as SoakViolation[];
  delete r.measurements['soak.violationsJson'];
  const result: SoakResult = {
    impl: o.impl,
    seed: o.seed,
    status: r.status,
    ranMs: r.durationMs,
    episodes: episodes.length,
    transitions: Number(r.measurements['soak.transitions'] ?? 0),
    transitionsPerHour: Number(r.measurements['soak.transitionsPerHour'] ?? 0),
    violations,
    errors: r.status === 'skip' ? [r.skipReason ?? 'skipped'] : r.failures.filter((f) => !/\(episode \d+\)/.test(f)),
  };
  if (o.report) {
    await mkdir(o.report, { recursive: true });
    await writeReports(o.report, [{ impl: o.impl, backend: 'netns', results: [r] }]);
    await writeFile(join(o.report, 'soak.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
  return result;
}
