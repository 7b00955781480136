import { monotonicMs } from '../../src/util/clock.js';
import { deviationFor } from './deviations.js';
import type { ConformanceContext } from './dut-lab.js';
import { runDataplane } from './groups/dataplane.js';
import { runInterop } from './groups/interop.js';
import { runReceive } from './groups/receive.js';
import { runState } from './groups/state.js';
import { runTransmit } from './groups/transmit.js';
import type {
  CaseResult,
  CaseVariant,
  ConformanceProgress,
  GroupName,
  ImplementationResults,
  Verdict,
} from './types.js';

/**
 * Runs a selection of the catalogue against one implementation, group by group (each group builds its own labs
 * and shares them between its cases), and turns verdicts into results: a documented deviation of a reference
 * implementation becomes `deviation`, an unexpected error of a lab fails the cases it was running.
 */

export interface GroupContext {
  ctx: ConformanceContext;
  selected: readonly CaseVariant[];
  /** Whether the variant is selected. */
  wants(id: string): boolean;
  /** Records a verdict (or a skip) for a variant; the first record wins. */
  record(id: string, v: Verdict | { skip: string }): void;
  /** Marks variants as started (progress lines). */
  begin(id: string): void;
}

export type GroupRunner = (g: GroupContext) => Promise<void>;

const GROUPS: Record<GroupName, GroupRunner> = {
  transmit: runTransmit,
  receive: runReceive,
  state: runState,
  dataplane: runDataplane,
  interop: runInterop,
};

export interface RunOptions {
  progress?: (p: ConformanceProgress) => void;
}

export async function runConformance(
  ctx: ConformanceContext,
  selected: readonly CaseVariant[],
  opts: RunOptions = {},
): Promise<ImplementationResults> {
  const impl = ctx.adapter.name;
  const t0 = monotonicMs();
  const results = new Map<string, CaseResult>();
  const began = new Map<string, number>();
  const elapsed = () => monotonicMs() - t0;
  for (const group of Object.keys(GROUPS) as GroupName[]) {
    const mine = selected.filter((v) => v.group === group);
    if (mine.length === 0) continue;
    const g: GroupContext = {
      ctx,
      selected: mine,
      wants: (id) => mine.some((v) => v.id === id),
      begin: (id) => {
        if (began.has(id) || !mine.some((v) => v.id === id)) return;
        began.set(id, monotonicMs());
        opts.progress?.({ impl, id, status: 'start', elapsedMs: elapsed() });
      },
      record: (id, v) => {
        const cv = mine.find((x) => x.id === id);
        if (!cv || results.has(id)) return;
        const r = toResult(impl, cv, v, monotonicMs() - (began.get(id) ?? monotonicMs()));
        results.set(id, r);
        opts.progress?.({ impl, id, status: r.status, elapsedMs: elapsed(), detail: r.detail });
      },
    };
    try {
      await GROUPS[group](g);
    } catch (err) {
      const why = `lab error: ${(err as Error).message.split('\n')[0]}`;
      for (const v of mine) g.record(v.id, failed(why));
    }
    for (const v of mine) g.record(v.id, failed('the group did not run this case (harness bug)'));
  }
  return { name: impl, cases: selected.map((v) => results.get(v.id) as CaseResult), wallMs: elapsed() };
}

export function failed(detail: string): Verdict {
  return { status: 'fail', detail, measurements: {}, packets: [], timeline: [] };
}

function toResult(impl: string, cv: CaseVariant, v: Verdict | { skip: string }, durationMs: number): CaseResult {
  const base = { id: cv.id, caseId: cv.caseId, rfc: cv.rfc, title: cv.title, durationMs };
  if ('skip' in v) return { ...base, status: 'skip', detail: v.skip, measurements: {}, packets: [], timeline: [] };
  const dev = v.status === 'fail' ? deviationFor(impl, cv.id) : undefined;
  return {
    ...base,
    status: dev ? 'deviation' : v.status,
    detail: dev ? `${dev.why} (measured: ${v.detail})` : v.detail,
    measurements: v.measurements,
    packets: v.packets,
    timeline: v.timeline,
    ...(dev ? { reference: dev.reference } : {}),
  };
}
