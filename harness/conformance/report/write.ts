import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImplementationResults } from '../types.js';
import { conformanceHtml } from './html.js';
import { conformanceJson } from './json.js';
import { conformanceJunit } from './junit.js';

/** Writes conformance.json, junit.xml and conformance.html into `dir`; returns the paths. */
export async function writeConformanceReports(dir: string, runs: readonly ImplementationResults[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: Array<[string, string]> = [
    ['conformance.json', `${JSON.stringify(conformanceJson(runs), null, 2)}\n`],
    ['junit.xml', conformanceJunit(runs)],
    ['conformance.html', conformanceHtml(runs)],
  ];
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}
