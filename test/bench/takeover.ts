import type { ImplName } from '../../harness/adapters/types.js';
import { runScenario } from '../../harness/scenario/run-scenario.js';
import type { Scenario } from '../../harness/scenario/types.js';
import { failover, garp, gracefulShutdown } from '../../scenarios/index.js';

/**
 * Takeover timing of one implementation, measured by the scenarios themselves from packet captures:
 * graceful handover from the priority-0 advert to the new Master's first advert (bound: Skew_Time), silent
 * failover from the crashed Master's last advert (bound: Master_Down_Interval), and the first GARP's
 * offset from the first advert as Master. VRRPv3 at 0.2 s on the three-hosts topology.
 */
export interface TakeoverSample {
  impl: ImplName;
  gracefulMs?: number;
  gracefulBoundMs?: number;
  failoverMs?: number;
  failoverWindow?: string;
  firstGarpMs?: number;
  failures: string[];
}

async function measure(s: Scenario, impl: ImplName): Promise<Record<string, number | string>> {
  const r = await runScenario(s, { impl, toleranceMs: 100 });
  if (r.status !== 'pass') throw new Error(`${impl} ${s.name}: ${r.status}: ${r.failures.join('; ') || r.skipReason}`);
  return r.measurements;
}

export async function benchTakeover(impl: ImplName): Promise<TakeoverSample> {
  const sample: TakeoverSample = { impl, failures: [] };
  const attempt = async (fn: () => Promise<void>) => fn().catch((e: Error) => void sample.failures.push(e.message));
  await attempt(async () => {
    const m = await measure(gracefulShutdown, impl);
    sample.gracefulMs = Number(m.gracefulMs);
    // The scenario's bound is Skew_Time + the 100 ms tolerance.
    sample.gracefulBoundMs = Number(m['graceful.boundMs']) - 100;
  });
  await attempt(async () => {
    const m = await measure(failover, impl);
    sample.failoverMs = Number(m.failoverMs);
    sample.failoverWindow = String(m['failover.windowMs']).replace(/ \+ \d+$/, '');
  });
  await attempt(async () => {
    const m = await measure(garp, impl);
    const offsets = Object.entries(m)
      .filter(([k]) => k.endsWith('burst1OffsetMs'))
      .map(([, v]) => Number(v));
    if (offsets.length > 0) sample.firstGarpMs = Math.min(...offsets);
  });
  return sample;
}
