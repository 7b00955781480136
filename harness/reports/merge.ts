import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VrrpLabError } from '../../src/util/errors.js';
import { emptyTimeline } from '../scenario/timeline.js';
import type { ScenarioResult } from '../scenario/types.js';
import type { DrillRun, ReportJson } from './report-json.js';

/** The implementation runs of one report directory (report.json of one run, or the `runs` of a matrix). */
export async function readReportDir(dir: string): Promise<ReportJson[]> {
  const path = join(dir, 'report.json');
  let doc: ReportJson | { runs: ReportJson[] };
  try {
    doc = JSON.parse(await readFile(path, 'utf8')) as typeof doc;
  } catch (err) {
    throw new VrrpLabError(`${path}: cannot read a drill report: ${(err as Error).message}`, { cause: err });
  }
  return 'runs' in doc ? doc.runs : [doc];
}

/** Every directory under `root` (itself included) that holds a report.json, e.g. downloaded CI artifacts. */
export async function findReportDirs(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  const dirs = entries
    .filter((e) => e.isFile() && e.name === 'report.json')
    .map((e) => e.parentPath ?? (e as unknown as { path: string }).path);
  return [...new Set(dirs)].sort();
}

/**
 * Shard reports → one set of runs, as if the matrix had run on one machine. Refuses what would make the
 * merged report lie: a case reported twice, shards of different splits, or a shard missing.
 */
export function mergeRuns(reports: readonly ReportJson[], order: readonly string[] = []): DrillRun[] {
  const runs = new Map<string, DrillRun>();
  const where = new Map<string, string>();
  const shards = new Map<number, Set<number>>();
  for (const rep of reports) {
    if (rep.shard !== undefined) {
      const [i, n] = rep.shard.split('/').map(Number) as [number, number];
      const got = shards.get(n) ?? new Set<number>();
      got.add(i);
      shards.set(n, got);
    }
    const id = `${rep.impl}/${rep.backend}`;
    let run = runs.get(id);
    if (!run) {
      run = { impl: rep.impl, backend: rep.backend, results: [] };
      runs.set(id, run);
    }
    for (const s of rep.scenarios) {
      const key = `${id}/${s.name}`;
      const from = rep.shard ?? 'unsharded';
      const before = where.get(key);
      if (before !== undefined)
        throw new VrrpLabError(`merge: ${s.name} on ${id} is in two reports (shards ${before} and ${from})`);
      where.set(key, from);
      const r: ScenarioResult = { ...s, timeline: emptyTimeline(), marks: {} };
      run.results.push(r);
    }
  }
  if (shards.size > 1)
    throw new VrrpLabError(`merge: reports of different splits (/${[...shards.keys()].join(', /')})`);
  for (const [n, got] of shards) {
    const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !got.has(i));
    if (missing.length > 0)
      throw new VrrpLabError(`merge: shard(s) ${missing.map((i) => `${i}/${n}`).join(', ')} missing`);
  }
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i < 0 ? order.length : i;
  };
  for (const run of runs.values())
    run.results.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  return [...runs.values()];
}
