import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtmlReport } from './html.js';
import { junitXml } from './junit.js';
import { type DrillRun, reportJson } from './report-json.js';

/**
 * Write report.json, junit.xml and report.html into `dir`. With one implementation report.json is exactly
 * `{impl, backend, scenarios}`; a matrix run writes one `report-<impl>.json` of that shape per implementation
 * and a report.json that lists them under `runs`.
 */
export async function writeReports(dir: string, runs: readonly DrillRun[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: Array<[string, string]> = [];
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  if (runs.length === 1) {
    files.push(['report.json', json(reportJson(runs[0]!))]);
  } else {
    for (const run of runs) files.push([`report-${run.impl}.json`, json(reportJson(run))]);
    files.push(['report.json', json({ runs: runs.map(reportJson) })]);
  }
  files.push(['junit.xml', junitXml(runs)], ['report.html', renderHtmlReport(runs)]);
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}
