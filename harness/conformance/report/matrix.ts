import type { CaseStatus, ImplementationResults } from '../types.js';

/** The status of every variant for every implementation, in catalogue order (rows = the union of variants). */
export function matrixRows(
  runs: readonly ImplementationResults[],
): Array<{ id: string; statuses: Array<CaseStatus | undefined> }> {
  const ids: string[] = [];
  for (const r of runs) for (const c of r.cases) if (!ids.includes(c.id)) ids.push(c.id);
  return ids.map((id) => ({ id, statuses: runs.map((r) => r.cases.find((c) => c.id === id)?.status) }));
}

const LABEL: Record<CaseStatus, string> = { pass: 'pass', fail: 'FAIL', deviation: 'dev', skip: 'skip' };

/** A plain-text matrix (cases × implementations) with totals, for the terminal. */
export function matrixText(runs: readonly ImplementationResults[]): string {
  const rows = matrixRows(runs);
  const w0 = Math.max(4, ...rows.map((r) => r.id.length));
  const ws = runs.map((r) => Math.max(6, r.name.length));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(i === 0 ? w0 : (ws[i - 1] ?? 6)))
      .join('  ')
      .trimEnd();
  const out = [line(['case', ...runs.map((r) => r.name)])];
  for (const r of rows) out.push(line([r.id, ...r.statuses.map((s) => (s ? LABEL[s] : '-'))]));
  const count = (s: CaseStatus) => runs.map((r) => String(r.cases.filter((c) => c.status === s).length));
  out.push('');
  for (const s of ['pass', 'fail', 'deviation', 'skip'] as const) out.push(line([s, ...count(s)]));
  return out.join('\n');
}
