import type { ScenarioResult } from '../scenario/types.js';

/** One implementation's run of the drill. */
export interface DrillRun {
  impl: string;
  backend: string;
  results: ScenarioResult[];
  /** `I/N` when this run is one shard of a split matrix (`--shard`). */
  shard?: string;
}

/** The report.json shape of the issue: `{impl, backend, scenarios: [{name, status, durationMs, measurements, failures}]}`. */
export interface ReportJson {
  impl: string;
  backend: string;
  shard?: string;
  scenarios: Array<
    Pick<ScenarioResult, 'name' | 'status' | 'durationMs' | 'measurements' | 'failures'> & {
      skipReason?: string;
      keyMeasurement?: string;
    }
  >;
}

export function reportJson(run: DrillRun): ReportJson {
  return {
    impl: run.impl,
    backend: run.backend,
    ...(run.shard === undefined ? {} : { shard: run.shard }),
    scenarios: run.results.map((r) => ({
      name: r.name,
      status: r.status,
      durationMs: r.durationMs,
      measurements: r.measurements,
      // A skip is not a failure: its reason goes in its own field and `failures` stays empty.
      failures: r.failures,
      ...(r.skipReason === undefined ? {} : { skipReason: r.skipReason }),
      ...(r.keyMeasurement === undefined ? {} : { keyMeasurement: r.keyMeasurement }),
    })),
  };
}
