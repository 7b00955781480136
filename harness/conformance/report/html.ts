import { escapeHtml, escapeXml } from '../../reports/escape.js';
import { tickStepS } from '../../reports/svg-timeline.js';
import type { CaseResult, CaseStatus, ImplementationResults, TimelineEvent } from '../types.js';
import { matrixRows } from './matrix.js';

/**
 * conformance.html: the matrix (cases × implementations) and, per implementation and case, the evidence a person
 * who did not run it needs: the verdict and why, the measured values, the decisive packets and a small timeline.
 */

const COLOURS: Record<CaseStatus, string> = { pass: '#2f9e5b', fail: '#d63939', deviation: '#e39b2d', skip: '#9aa3b1' };

const anchor = (impl: string, id: string) => `c-${impl}-${id}`.replace(/[^A-Za-z0-9_-]/g, '_');

/** A lane per actor, a tick per event, time in ms since the case started; every tick has a <title>. */
export function caseTimelineSvg(events: readonly TimelineEvent[]): string {
  if (events.length === 0) return '';
  const actors = [...new Set(events.map((e) => e.actor))];
  const t0 = Math.min(0, ...events.map((e) => e.tMs));
  const span = Math.max(1, Math.max(...events.map((e) => e.tMs)) - t0);
  const W = 900;
  const LEFT = 90;
  const PLOT = W - LEFT - 20;
  const LANE = 22;
  const H = actors.length * LANE + 30;
  const x = (t: number) => LEFT + ((t - t0) / span) * PLOT;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="case-timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">`,
  ];
  const step = tickStepS(span / 1000) * 1000;
  for (let t = 0; t <= span; t += step) {
    out.push(
      `<line x1="${x(t0 + t).toFixed(1)}" y1="0" x2="${x(t0 + t).toFixed(1)}" y2="${H - 18}" stroke="#eceef2"/>`,
    );
    out.push(
      `<text x="${x(t0 + t).toFixed(1)}" y="${H - 5}" font-size="10" text-anchor="middle" fill="#555">${Number(((t0 + t) / 1000).toFixed(3))} s</text>`,
    );
  }
  actors.forEach((a, i) => {
    const y = i * LANE + 4;
    out.push(`<text x="4" y="${y + 12}" font-size="11" fill="#222">${escapeXml(a)}</text>`);
    for (const e of events.filter((ev) => ev.actor === a)) {
      out.push(
        `<rect x="${(x(e.tMs) - 1).toFixed(1)}" y="${y}" width="3" height="16" fill="#3b5b92"><title>${escapeXml(`${(e.tMs / 1000).toFixed(4)} s ${a}: ${e.label}`)}</title></rect>`,
      );
    }
  });
  out.push('</svg>');
  return out.join('');
}

function caseSection(impl: string, c: CaseResult): string {
  const m = Object.entries(c.measurements);
  return [
    `<section class="case status-${c.status}" id="${anchor(impl, c.id)}">`,
    `<h3><span class="badge" style="background:${COLOURS[c.status]}">${c.status}</span> ${escapeHtml(impl)} · ${escapeHtml(c.id)} — ${escapeHtml(c.title)}</h3>`,
    `<p class="rfc">RFC ${escapeHtml(c.rfc)} · ${(c.durationMs / 1000).toFixed(1)} s</p>`,
    `<p class="detail">${escapeHtml(c.detail)}</p>`,
    c.reference ? `<p class="reference">Reference: ${escapeHtml(c.reference)}</p>` : '',
    m.length > 0
      ? `<table class="measurements"><tr><th>measured</th><th>value</th></tr>${m.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`).join('')}</table>`
      : '',
    c.packets.length > 0
      ? `<pre class="packets">${c.packets.map((p) => escapeHtml(`${(p.tMs / 1000).toFixed(4).padStart(9)} s  ${p.summary}`)).join('\n')}</pre>`
      : '',
    caseTimelineSvg(c.timeline),
    '</section>',
  ].join('\n');
}

export function conformanceHtml(runs: readonly ImplementationResults[], now = new Date()): string {
  const rows = matrixRows(runs);
  const head = `<tr><th>case</th>${runs.map((r) => `<th>${escapeHtml(r.name)}</th>`).join('')}</tr>`;
  const body = rows
    .map((row) => {
      const cells = row.statuses.map((s, i) => {
        const impl = runs[i]?.name ?? '';
        if (!s) return '<td>-</td>';
        return `<td style="background:${COLOURS[s]}"><a href="#${anchor(impl, row.id)}">${s}</a></td>`;
      });
      const title = runs.flatMap((r) => r.cases).find((c) => c.id === row.id)?.title ?? '';
      return `<tr><td title="${escapeHtml(title)}">${escapeHtml(row.id)}</td>${cells.join('')}</tr>`;
    })
    .join('\n');
  const totals = runs
    .map((r) => {
      const n = (s: CaseStatus) => r.cases.filter((c) => c.status === s).length;
      return `<li>${escapeHtml(r.name)}: ${n('pass')} pass, ${n('fail')} fail, ${n('deviation')} deviation, ${n('skip')} skip in ${(r.wallMs / 1000).toFixed(0)} s</li>`;
    })
    .join('');
  const sections = runs.flatMap((r) => r.cases.map((c) => caseSection(r.name, c))).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>vrrp-lab conformance</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table.matrix td,table.matrix th{padding:2px 10px;border:1px solid #ddd;font-size:13px}
table.matrix td a{color:#fff;text-decoration:none}
.badge{color:#fff;padding:1px 6px;border-radius:3px;font-size:12px}
section.case{border-top:1px solid #ddd;padding:4px 0}
pre.packets{background:#f6f7f9;padding:6px;font-size:12px;overflow-x:auto}
table.measurements td,table.measurements th{font-size:12px;padding:1px 8px;text-align:left}
</style></head><body>
<h1>vrrp-lab conformance</h1>
<p>Generated ${escapeHtml(now.toISOString())}. Each case is an RFC requirement; the DUT is observed on the wire and in the kernel, never asked. A deviation is a documented, deliberate difference of that implementation.</p>
<ul>${totals}</ul>
<table class="matrix">${head}\n${body}</table>
<h2>Evidence</h2>
${sections}
</body></html>
`;
}
