import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_IN_IMPLS as IMPL_NAMES } from '../../../harness/adapters/registry.js';
import { findReportDirs, mergeRuns, readReportDir } from '../../../harness/reports/merge.js';
import type { DrillRun } from '../../../harness/reports/report-json.js';
import { writeReports } from '../../../harness/reports/write-reports.js';
import { caseKey, type MatrixCase, parseShard, shardMatrix } from '../../../harness/scenario/shard.js';
import { emptyTimeline } from '../../../harness/scenario/timeline.js';
import { scenarios } from '../../../scenarios/index.js';

/** The drill's real matrix: every scenario (the IPv6 variants among them) × every implementation. */
const matrix: MatrixCase[] = IMPL_NAMES.flatMap((impl) =>
  scenarios.map((s) => ({ scenario: s.name, impl, ...(s.variant === undefined ? {} : { variant: s.variant }) })),
);

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const a = [...xs];
  let x = seed;
  for (let i = a.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('--shard I/N', () => {
  it('parts are disjoint, reunite into the whole matrix, differ in size by at most one', () => {
    for (let n = 1; n <= 9; n++) {
      const parts = Array.from({ length: n }, (_, i) => shardMatrix(matrix, { index: i + 1, total: n }));
      const keys = parts.flat().map(caseKey);
      expect(new Set(keys).size).toBe(keys.length); // nothing doubled
      expect([...keys].sort()).toEqual(matrix.map(caseKey).sort()); // nothing lost
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('every runner computes the same part whatever order it lists the cases in', () => {
    const a = shardMatrix(matrix, { index: 2, total: 4 }).map(caseKey).sort();
    const b = shardMatrix(shuffled(matrix, 7), { index: 2, total: 4 }).map(caseKey).sort();
    expect(b).toEqual(a);
  });

  it('refuses a bad spec and a case listed twice', () => {
    expect(parseShard('3/4')).toEqual({ index: 3, total: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1/2/3'])
      expect(() => parseShard(bad)).toThrow(/--shard must be I\/N/);
    expect(() => shardMatrix([...matrix, matrix[0]!], { index: 1, total: 2 })).toThrow(/twice/);
  });
});

describe('merge-reports', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  /** What `drill --shard I/N --report DIR` writes for its part of the matrix. */
  async function shardReports(root: string, n: number, only?: number): Promise<void> {
    for (let i = 1; i <= n; i++) {
      if (only !== undefined && i !== only) continue;
      const part = shardMatrix(matrix, { index: i, total: n });
      const runs: DrillRun[] = IMPL_NAMES.map((impl) => ({
        impl,
        backend: 'netns',
        shard: `${i}/${n}`,
        results: part
          .filter((c) => c.impl === impl)
          .map((c) => ({
            name: c.scenario,
            status: c.scenario.startsWith('nopreempt') ? ('skip' as const) : ('pass' as const),
            durationMs: 10,
            measurements: { m: 1 },
            failures: [],
            ...(c.scenario.startsWith('nopreempt') ? { skipReason: 'cannot' } : {}),
            timeline: emptyTimeline(),
            marks: {},
          })),
      }));
      await writeReports(join(root, `shard-${i}`), runs);
    }
  }

  it('reunites a 4-way split: every case once in junit.xml, in the drill order', async () => {
    const root = await mkdtemp(join(tmpdir(), 'shards-'));
    dirs.push(root);
    await shardReports(root, 4);
    const found = await findReportDirs(root);
    expect(found).toHaveLength(4);
    const runs = mergeRuns(
      (await Promise.all(found.map(readReportDir))).flat(),
      scenarios.map((s) => s.name),
    );
    const out = join(root, 'merged');
    await writeReports(out, runs);
    const junit = await readFile(join(out, 'junit.xml'), 'utf8');
    const cases = [...junit.matchAll(/<testcase classname="vrrp-lab\.(\w+)\.netns" name="([^"]+)"/g)].map(
      (m) => `${m[2]}\u0000${m[1]}`,
    );
    expect(cases.length).toBe(matrix.length);
    expect([...cases].sort()).toEqual(matrix.map((c) => `${c.scenario}\u0000${c.impl}`).sort());
    expect(junit).toMatch(new RegExp(`<testsuites name="vrrp-lab drill" tests="${matrix.length}" failures="0"`));
    expect(runs[0]!.results[0]!.name).toBe(scenarios[0]!.name);
  });

  it('refuses a missing shard and a case reported twice', async () => {
    const root = await mkdtemp(join(tmpdir(), 'shards-'));
    dirs.push(root);
    await shardReports(root, 3, 1);
    await shardReports(root, 3, 3);
    const partial = (await Promise.all((await findReportDirs(root)).map(readReportDir))).flat();
    expect(() => mergeRuns(partial)).toThrow(/shard\(s\) 2\/3 missing/);
    expect(() => mergeRuns([...partial, ...partial])).toThrow(/is in two reports \(shards 1\/3 and 1\/3\)/);
  });
});
