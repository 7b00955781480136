import type { TestContext } from 'vitest';
import type { ImplName } from '../../../harness/adapters/types.js';
import { runScenario } from '../../../harness/scenario/run-scenario.js';
import type { Scenario, ScenarioResult } from '../../../harness/scenario/types.js';

/**
 * Shared by the scenario integration tests: run one scenario against vrrpd on the netns backend
 * (VRRPLAB_IMPL=keepalived|frr runs the same tests against another implementation), skip the test with
 * the scenario's reason when it is skipped, and print the failures with the measurements when it fails.
 */
export const IMPL = (process.env.VRRPLAB_IMPL ?? 'vrrpd') as ImplName;
/** CI machines are noisy; the RFC bounds get this much slack (ms). */
export const TOLERANCE_MS = Number(process.env.VRRPLAB_TOLERANCE_MS ?? 150);
export const isRoot = process.getuid?.() === 0;

export async function run(scenario: Scenario, ctx: TestContext): Promise<ScenarioResult> {
  const r = await runScenario(scenario, { impl: IMPL, backend: 'netns', toleranceMs: TOLERANCE_MS });
  if (r.status === 'skip') ctx.skip(r.skipReason);
  if (r.status === 'fail') {
    // The assertion below shows the failures; the measurements explain them.
    console.error(
      `${scenario.name} measurements:`,
      r.measurements,
      r.artifactsDir ? `artifacts: ${r.artifactsDir}` : '',
    );
  }
  return r;
}

export function mark(r: ScenarioResult, name: string): number {
  const t = r.marks[name];
  if (t === undefined) throw new Error(`scenario ${r.name} recorded no mark "${name}"`);
  return t;
}
