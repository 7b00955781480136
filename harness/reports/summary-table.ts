import type { ScenarioResult } from '../scenario/types.js';
import type { DrillRun } from './report-json.js';

/** Plain-text tables for the terminal: one run → a row per scenario; several → the matrix of the issue. */

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const [head, ...body] = rows;
  return [line(head!), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The scenario's key measurement as "3431 ms" (names ending in Ms are times) or "transitions=8". */
export function keyMeasurementText(r: ScenarioResult): string {
  if (r.keyMeasurement === undefined) return '';
  const v = r.measurements[r.keyMeasurement];
  if (v === undefined) return '';
  return /Ms$/.test(r.keyMeasurement) ? `${v} ms` : `${r.keyMeasurement.replace(/^.*\./, '')}=${v}`;
}

function cell(r: ScenarioResult | undefined): string {
  if (!r) return '-';
  return `${r.status} ${keyMeasurementText(r)}`.trimEnd();
}

function totals(runs: readonly DrillRun[]): string {
  const all = runs.flatMap((r) => r.results);
  const n = (s: string) => all.filter((r) => r.status === s).length;
  return `${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped`;
}

export function summaryTable(runs: readonly DrillRun[]): string {
  if (runs.length === 1) {
    const run = runs[0]!;
    const rows = [['scenario', 'status', 'time', 'key measurement', 'first failure / skip reason']];
    for (const r of run.results) {
      const why = r.status === 'skip' ? (r.skipReason ?? '') : (r.failures[0] ?? '');
      rows.push([
        r.name,
        r.status,
        `${(r.durationMs / 1000).toFixed(1)} s`,
        keyMeasurementText(r),
        why.length > 100 ? `${why.slice(0, 97)}...` : why,
      ]);
    }
    return `${run.impl} on ${run.backend}\n${pad(rows)}\n${totals(runs)}`;
  }
  const names = [...new Set(runs.flatMap((run) => run.results.map((r) => r.name)))];
  const rows = [['scenario', ...runs.map((r) => r.impl)]];
  for (const n of names) rows.push([n, ...runs.map((run) => cell(run.results.find((r) => r.name === n)))]);
  return `matrix on ${[...new Set(runs.map((r) => r.backend))].join(', ')}\n${pad(rows)}\n${totals(runs)}`;
}
