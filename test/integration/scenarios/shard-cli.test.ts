import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../../../harness/reports/report-json.js';
import { IMPL, isRoot, TOLERANCE_MS } from './run.js';

/** A real drill split in two (`--shard 1/2`, `--shard 2/2`) and merged: each case ran once, none is lost. */
const CLI = resolve('dist/harness/cli/vrrp-lab.js');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shard-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => execa('node', [CLI, ...args], { reject: false });

describe.skipIf(!isRoot)('drill --shard + merge-reports', () => {
  it('two shards of two scenarios run one case each; the merged junit.xml has both once', async () => {
    const ran: string[] = [];
    for (const i of [1, 2]) {
      const r = await cli(
        ...['drill', '--impl', IMPL, '--tolerance', String(TOLERANCE_MS), '--shard', `${i}/2`],
        ...['--report', join(dir, 'artifacts', `shard-${i}`), 'convergence', 'graceful-shutdown'],
      );
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(`shard ${i}/2: 1 of 2 cases`);
      const rep = JSON.parse(await readFile(join(dir, 'artifacts', `shard-${i}`, 'report.json'), 'utf8')) as ReportJson;
      expect(rep.shard).toBe(`${i}/2`);
      ran.push(...rep.scenarios.map((s) => s.name));
    }
    expect(ran.sort()).toEqual(['convergence', 'graceful-shutdown']);

    const m = await cli('merge-reports', join(dir, 'merged'), join(dir, 'artifacts'));
    expect(m.exitCode, m.stderr).toBe(0);
    const junit = await readFile(join(dir, 'merged', 'junit.xml'), 'utf8');
    const names = [...junit.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((x) => x[1]);
    expect(names).toEqual(['convergence', 'graceful-shutdown']);

    // A shard that is missing makes the merge fail instead of reporting a smaller matrix as whole.
    await rm(join(dir, 'artifacts', 'shard-2'), { recursive: true });
    const partial = await cli('merge-reports', join(dir, 'merged2'), join(dir, 'artifacts'));
    expect(partial.exitCode).toBe(1);
    expect(partial.stderr).toContain('shard(s) 2/2 missing');
  });
});
