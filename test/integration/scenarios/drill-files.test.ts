import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../../harness/reports/report-json.js';
import { IMPL, isRoot, TOLERANCE_MS } from './run.js';

/**
 * `vrrp-lab drill FILE.mjs` as an operator runs it: the two examples copied to an empty folder outside the
 * project (nothing installed there), run by the built CLI (`npm test` builds dist/ first) from that folder.
 */
const CLI = resolve('dist/harness/cli/vrrp-lab.js');
const EXAMPLES = ['seed-incident.mjs', 'nginx-outage.mjs'];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drill-files-'));
  for (const f of EXAMPLES) await copyFile(join('scenarios/examples', f), join(dir, f));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const drill = (...args: string[]) =>
  execa('node', [CLI, 'drill', '--impl', IMPL, '--tolerance', String(TOLERANCE_MS), ...args], {
    cwd: dir,
    reject: false,
  });

describe.skipIf(!isRoot)('custom drill files (scenarios/examples)', () => {
  it('both examples run from an empty folder and pass: split brain then the unicast cure; nginx outage', async () => {
    const r = await drill('./seed-incident.mjs', './nginx-outage.mjs', '--report', 'out');
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')) as ReportJson;
    expect(report.scenarios.map((s) => [s.name, s.status])).toEqual([
      ['seed-incident', 'pass'],
      ['nginx-outage', 'pass'],
    ]);
    const seed = report.scenarios[0]!;
    expect(seed.measurements.splitBrainHolders).toBe('n14, n15');
    // The single-holder check after the cure ran: no bad window.
    expect(seed.measurements['singleHolder.badWindows']).toBe(0);
    expect(report.scenarios[1]!.measurements.outageToTakeoverMs).toBeGreaterThan(0);
  }, 240_000);

  it('a broken drill file is one clear error naming the file', async () => {
    await writeFile(
      join(dir, 'broken.mjs'),
      "import { nth } from 'vrrp-lab';\nexport default { name: 'x', steps: [] };\n",
    );
    const r = await drill('./broken.mjs');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('./broken.mjs: scenario "x" has no topology');
  });
});
