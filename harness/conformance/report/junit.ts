import { escapeXml } from '../../reports/escape.js';
import type { ImplementationResults } from '../types.js';

/**
 * JUnit XML: one <testsuite> per implementation, one <testcase> per variant. A deviation is not a failure: it is
 * reported as passed with its reference in <system-out>, like the measurements.
 */
export function conformanceJunit(runs: readonly ImplementationResults[]): string {
  const s = (ms: number) => (ms / 1000).toFixed(3);
  const n = (f: (st: string) => boolean) => runs.reduce((k, r) => k + r.cases.filter((c) => f(c.status)).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vrrp-lab conform" tests="${n(() => true)}" failures="${n((x) => x === 'fail')}" skipped="${n((x) => x === 'skip')}" errors="0">`,
  ];
  for (const r of runs) {
    const suite = `vrrp-lab.conform.${r.name}`;
    const count = (st: string) => r.cases.filter((c) => c.status === st).length;
    lines.push(
      `  <testsuite name="${escapeXml(suite)}" tests="${r.cases.length}" failures="${count('fail')}" skipped="${count('skip')}" errors="0" time="${s(r.wallMs)}">`,
    );
    for (const c of r.cases) {
      const open = `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(`${c.id} ${c.title}`)}" time="${s(c.durationMs)}"`;
      const body: string[] = [];
      if (c.status === 'fail')
        body.push(
          `      <failure message="${escapeXml(c.detail)}" type="ConformanceFailure">${escapeXml(`RFC ${c.rfc}: ${c.detail}`)}</failure>`,
        );
      if (c.status === 'skip') body.push(`      <skipped message="${escapeXml(c.detail)}"/>`);
      const outLines = [
        ...(c.status === 'deviation' ? [`deviation: ${c.detail}`, `reference: ${c.reference ?? '-'}`] : []),
        ...Object.entries(c.measurements).map(([k, v]) => `${k} = ${v}`),
        ...c.packets.map((p) => `+${p.tMs.toFixed(3)} ms ${p.summary}`),
      ];
      if (outLines.length > 0) body.push(`      <system-out>${escapeXml(outLines.join('\n'))}</system-out>`);
      lines.push(body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
