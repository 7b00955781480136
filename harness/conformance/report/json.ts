import type { CaseResult, ImplementationResults } from '../types.js';

/** conformance.json: `{implementations: [{name, cases: [{id, rfc, title, status, detail, measurements}]}]}` plus evidence. */
export interface ConformanceJson {
  generatedAt: string;
  implementations: Array<{
    name: string;
    wallMs: number;
    cases: Array<
      Pick<
        CaseResult,
        'id' | 'rfc' | 'title' | 'status' | 'detail' | 'measurements' | 'packets' | 'timeline' | 'durationMs'
      > & {
        reference?: string;
      }
    >;
  }>;
}

export function conformanceJson(runs: readonly ImplementationResults[], now = new Date()): ConformanceJson {
  return {
    generatedAt: now.toISOString(),
    implementations: runs.map((r) => ({
      name: r.name,
      wallMs: Math.round(r.wallMs),
      cases: r.cases.map((c) => ({
        id: c.id,
        rfc: c.rfc,
        title: c.title,
        status: c.status,
        detail: c.detail,
        measurements: c.measurements,
        packets: c.packets,
        timeline: c.timeline,
        durationMs: Math.round(c.durationMs),
        ...(c.reference === undefined ? {} : { reference: c.reference }),
      })),
    })),
  };
}
