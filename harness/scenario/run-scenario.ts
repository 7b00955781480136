import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monotonicMs } from '../../src/util/clock.js';
import { TimeoutError } from '../../src/util/errors.js';
import type { ImplName } from '../adapters/types.js';
import type { Topology } from '../topology/index.js';
import type { Measurements } from './check.js';
import { assertionContext, RunRecorder, scenarioContext } from './context.js';
import { prepareSession } from './prepare.js';
import type { LabSession, SessionFactory } from './session.js';
import { emptyTimeline, type ScenarioTimeline, type StepEvent } from './timeline.js';
import { resolveTopology } from './topology-source.js';
import type { BackendName, ProgressEvent, Scenario, ScenarioResult } from './types.js';

export interface RunOptions {
  impl: ImplName;
  backend?: BackendName;
  /** Added to every RFC bound (ms). */
  toleranceMs?: number;
  /** Where each run's directory (manifest, logs, captures) goes. */
  runsDir?: string;
  progress?: (e: ProgressEvent) => void;
  /** Builds labs; defaults to the factory registered for the backend (sessions.ts). */
  sessions?: SessionFactory;
}

export const DEFAULT_TOLERANCE_MS = 100;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, Math.round(ms))), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run one scenario: build its topology, run its steps, collect the timeline, check the assertions, and
 * always destroy the lab (try/finally), whatever failed. Never throws for a scenario problem: everything
 * ends up in the result's status and failures.
 */
export async function runScenario(scenario: Scenario, opts: RunOptions): Promise<ScenarioResult> {
  const backend = opts.backend ?? 'netns';
  const toleranceMs = opts.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  const t0Ms = monotonicMs();
  const progress = (step: string, msg?: string) =>
    opts.progress?.({
      scenario: scenario.name,
      step,
      elapsedMs: monotonicMs() - t0Ms,
      ...(msg === undefined ? {} : { message: msg }),
    });
  const result = (
    status: ScenarioResult['status'],
    failures: string[],
    extra: {
      measurements?: Measurements;
      timeline?: ScenarioTimeline;
      marks?: Record<string, number>;
      skipReason?: string;
      runId?: string;
    } = {},
  ): ScenarioResult => ({
    name: scenario.name,
    description: scenario.description,
    status,
    durationMs: Math.round(monotonicMs() - t0Ms),
    measurements: extra.measurements ?? {},
    failures,
    timeline: extra.timeline ?? emptyTimeline(t0Ms),
    marks: extra.marks ?? {},
    ...(extra.skipReason === undefined ? {} : { skipReason: extra.skipReason }),
    ...(scenario.keyMeasurement === undefined ? {} : { keyMeasurement: scenario.keyMeasurement }),
    ...(extra.runId === undefined ? {} : { runId: extra.runId }),
  });

  progress('setup');
  let topology: Topology;
  let sessions: SessionFactory;
  try {
    topology = await resolveTopology(scenario.topology);
    const prepared = await prepareSession(topology, {
      impl: opts.impl,
      backend,
      ...(opts.sessions === undefined ? {} : { sessions: opts.sessions }),
    });
    if (prepared.skipReason !== undefined) return result('skip', [], { skipReason: prepared.skipReason });
    sessions = prepared.factory;
  } catch (err) {
    return result('fail', [`setup: ${message(err)}`]);
  }

  const recorder = new RunRecorder();
  let session: LabSession | undefined;
  const failures: string[] = [];
  const measurements: Measurements = {};
  let timeline: ScenarioTimeline = emptyTimeline(t0Ms);
  let kept: string | undefined;
  try {
    session = await sessions.open(topology, {
      impl: opts.impl,
      t0Ms,
      ...(opts.runsDir === undefined ? {} : { runsDir: opts.runsDir }),
    });
    const stepsOk = await runSteps(scenario, session, recorder, failures, {
      impl: opts.impl,
      backend,
      topology,
      toleranceMs,
      progress,
      deadline: t0Ms + (scenario.timeoutMs ?? 60_000),
    });
    progress('teardown');
    try {
      const seen = await session.finish();
      timeline = { ...seen, faults: recorder.faults, steps: recorder.steps };
    } catch (err) {
      failures.push(`teardown: collecting the timeline failed: ${message(err)}`);
      timeline = { ...emptyTimeline(t0Ms), endMs: monotonicMs(), faults: recorder.faults, steps: recorder.steps };
    }
    if (stepsOk) {
      progress('assert');
      const s = session;
      try {
        const actx = assertionContext({
          impl: opts.impl,
          topology,
          toleranceMs,
          timeline,
          recorder,
          declared: scenario.allowedTransients ?? [],
          mac: (h) => s.mac(h),
        });
        for (const r of scenario.assertions(actx)) {
          failures.push(...r.failures);
          Object.assign(measurements, r.measurements);
        }
      } catch (err) {
        failures.push(`assertions: ${message(err)}`);
      }
    }
  } catch (err) {
    failures.push(`setup: ${message(err)}`);
  } finally {
    if (session) {
      const keepDir = failures.length > 0;
      try {
        await session.destroy({ keepDir });
        if (keepDir) {
          kept = session.runDir;
          // Next to the pcaps and daemon logs: what the assertions saw, for a report rendered later.
          await writeFile(
            join(kept, 'timeline.json'),
            `${JSON.stringify({ ...timeline, marks: recorder.marks })}\n`,
          ).catch(() => {});
        }
      } catch (err) {
        failures.push(`teardown: destroying the lab failed: ${message(err)}`);
      }
    }
  }

  const runId = session?.runId;
  const r = result(failures.length === 0 ? 'pass' : 'fail', failures, {
    measurements,
    timeline,
    marks: recorder.marks,
    ...(runId === undefined ? {} : { runId }),
  });
  return kept === undefined ? r : { ...r, artifactsDir: kept };
}

/** Run the steps in order within the scenario's time budget; a failing step stops the rest. */
async function runSteps(
  scenario: Scenario,
  session: LabSession,
  recorder: RunRecorder,
  failures: string[],
  o: {
    impl: ImplName;
    backend: BackendName;
    topology: Topology;
    toleranceMs: number;
    progress: (step: string, msg?: string) => void;
    deadline: number;
  },
): Promise<boolean> {
  const ctx = scenarioContext({
    ...o,
    session,
    recorder,
    progress: (msg) => o.progress(recorder.steps.at(-1)?.name ?? 'setup', msg),
  });
  for (const step of scenario.steps) {
    const ev: StepEvent = { name: step.name, startMs: monotonicMs() };
    recorder.steps.push(ev);
    o.progress(step.name);
    try {
      await withTimeout(step.run(ctx), Math.max(1, o.deadline - monotonicMs()), `step "${step.name}"`);
    } catch (err) {
      failures.push(`${step.name}: ${message(err)}`);
      return false;
    } finally {
      ev.endMs = monotonicMs();
    }
  }
  return true;
}
