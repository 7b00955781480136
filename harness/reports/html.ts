import type { ScenarioResult } from '../scenario/types.js';
import { escapeHtml } from './escape.js';
import type { DrillRun } from './report-json.js';
import { keyMeasurementText } from './summary-table.js';
import { HOLDER_BAD, HOLDER_OK, renderTimelineSvg, STATE_COLOURS } from './svg-timeline.js';

/**
 * report.html: self-contained (inline CSS and SVG, no scripts, fonts or images from anywhere), so it can be
 * attached to a CI run or mailed and still open years later.
 */

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 24px; max-width: 1260px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
h3 { font-size: 16px; margin: 0; display: inline; }
.meta { color: #666; }
table.summary { border-collapse: collapse; margin: 8px 0 16px; }
table.summary th, table.summary td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; margin-left: 8px; }
.pass { background: #2f9e5b; } .fail { background: #d63939; } .skip { background: #8a94a6; }
section.scenario { margin: 18px 0 30px; }
.desc { color: #555; margin: 4px 0 8px; }
ul.failures { color: #a42323; margin: 6px 0; } .skipreason { color: #555; font-style: italic; }
table.measurements { border-collapse: collapse; font-size: 12px; margin: 6px 0; }
table.measurements td { border-bottom: 1px solid #eee; padding: 2px 12px 2px 0; font-family: ui-monospace, monospace; }
.legend span.sw { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 14px; vertical-align: middle; }
.legend { font-size: 12px; color: #444; margin: 8px 0 16px; }
svg.timeline { display: block; border: 1px solid #e3e6ea; margin-top: 8px; max-width: 100%; height: auto; }
`;

function legend(): string {
  const sw = (colour: string, label: string, extra = '') =>
    `<span class="sw" style="background:${colour};${extra}"></span>${escapeHtml(label)}`;
  return `<div class="legend">Node state: ${Object.entries(STATE_COLOURS)
    .filter(([s]) => s !== 'UNKNOWN')
    .map(([s, c]) => sw(c, s))
    .join(
      '',
    )}${sw(HOLDER_OK, 'one VIP holder')}${sw(HOLDER_BAD, 'no holder or ≥2 holders')}${sw('#333', 'advert tick', 'width:2px')}${sw('#b03a2e', 'priority-0 advert / injected fault', 'width:2px')}${sw('#8e44ad', 'gratuitous ARP', 'width:8px;height:8px;transform:rotate(45deg)')}</div>`;
}

function measurementsTable(r: ScenarioResult): string {
  const rows = Object.entries(r.measurements);
  if (rows.length === 0) return '';
  return `<table class="measurements">${rows
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`)
    .join('')}</table>`;
}

function scenarioSection(run: DrillRun, r: ScenarioResult): string {
  const parts = [
    `<section class="scenario" id="${escapeHtml(`${run.impl}-${r.name}`)}">`,
    `<h3>${escapeHtml(r.name)}</h3><span class="badge ${r.status}">${r.status.toUpperCase()}</span> <span class="meta">${(r.durationMs / 1000).toFixed(1)} s${r.runId ? ` · run ${escapeHtml(r.runId)}` : ''}</span>`,
  ];
  if (r.description) parts.push(`<div class="desc">${escapeHtml(r.description)}</div>`);
  if (r.skipReason) parts.push(`<div class="skipreason">skipped: ${escapeHtml(r.skipReason)}</div>`);
  if (r.failures.length > 0)
    parts.push(`<ul class="failures">${r.failures.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`);
  parts.push(measurementsTable(r));
  if (r.status !== 'skip' && r.timeline.endMs > r.timeline.t0Ms) {
    parts.push(renderTimelineSvg(r.timeline, { title: `${run.impl} ${r.name}` }));
  }
  parts.push('</section>');
  return parts.join('\n');
}

function summary(runs: readonly DrillRun[]): string {
  const names = [...new Set(runs.flatMap((run) => run.results.map((r) => r.name)))];
  const head = `<tr><th>scenario</th>${runs.map((run) => `<th>${escapeHtml(run.impl)}</th>`).join('')}</tr>`;
  const rows = names.map((n) => {
    const cells = runs.map((run) => {
      const r = run.results.find((x) => x.name === n);
      if (!r) return '<td></td>';
      const key = keyMeasurementText(r);
      return `<td><a href="#${escapeHtml(`${run.impl}-${n}`)}"><span class="badge ${r.status}">${r.status}</span></a>${key ? ` ${escapeHtml(key)}` : ''}</td>`;
    });
    return `<tr><td>${escapeHtml(n)}</td>${cells.join('')}</tr>`;
  });
  return `<table class="summary">${head}${rows.join('')}</table>`;
}

export function renderHtmlReport(runs: readonly DrillRun[], opts: { generatedAt?: Date } = {}): string {
  const when = (opts.generatedAt ?? new Date()).toISOString();
  const backend = [...new Set(runs.map((r) => r.backend))].join(', ');
  const body = [
    `<h1>vrrp-lab drill</h1>`,
    `<div class="meta">${escapeHtml(runs.map((r) => r.impl).join(', '))} on ${escapeHtml(backend)} · ${escapeHtml(when)}</div>`,
    summary(runs),
    legend(),
    ...runs.flatMap((run) => [
      `<h2>${escapeHtml(run.impl)} <span class="meta">(${escapeHtml(run.backend)})</span></h2>`,
      ...run.results.map((r) => scenarioSection(run, r)),
    ]),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>vrrp-lab drill report</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
