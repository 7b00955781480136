import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';

/**
 * An external implementation end to end through an adapter file: keepalived driven only by
 * scenarios/adapters/keepalived-as-foreign.yaml, and vrrpd driven only by the module
 * scenarios/adapters/vrrpd-as-module.mjs, run through `vrrp-lab drill --impl PATH` (a relative path,
 * from the repository root) next to the built-in adapters. Same scenarios, same results.
 */

const CLI = join('dist', 'harness', 'cli', 'vrrp-lab.js');
/** Scenarios that start, crash, stop and restart routers, over multicast and unicast. */
const SCENARIOS = ['failover', 'graceful-shutdown', 'preempt', 'unicast-cures-split-brain'];

interface ScenarioReport {
  name: string;
  status: 'pass' | 'fail' | 'skip';
  failures: string[];
  keyMeasurement?: string;
  measurements: Record<string, number | string>;
}
interface DrillReport {
  runs: Array<{ impl: string; scenarios: ScenarioReport[] }>;
}

let runsDir: string;
let reportsDir: string;

beforeAll(async () => {
  // The CLI and the example module run from dist/ (npm test builds it first).
  await access(vrrpdCliPath());
  runsDir = await mkdtemp(join(tmpdir(), 'vrrp-lab-adapter-files-'));
  reportsDir = await mkdtemp(join(tmpdir(), 'vrrp-lab-adapter-reports-'));
});

afterAll(async () => {
  await rm(reportsDir, { recursive: true, force: true });
  await rm(runsDir, { recursive: true, force: true });
});

let reportSeq = 0;

/** `vrrp-lab drill --impl A --impl B SCENARIO...` and its report.json, one run per implementation. */
async function drill(impls: string[], scenarios: string[]): Promise<Map<string, Map<string, ScenarioReport>>> {
  const dir = join(reportsDir, String(++reportSeq));
  const r = await execa(
    'node',
    [CLI, '--runs-dir', runsDir, 'drill', ...impls.flatMap((i) => ['--impl', i]), '--report', dir, ...scenarios],
    { reject: false },
  );
  expect(r.stderr).not.toMatch(/vrrp-lab: /);
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as DrillReport;
  return new Map(report.runs.map((run) => [run.impl, new Map(run.scenarios.map((s) => [s.name, s]))]));
}

const keyValue = (s: ScenarioReport | undefined): number | string | undefined =>
  s?.keyMeasurement === undefined ? undefined : s.measurements[s.keyMeasurement];

/** Same status, and the key measurement within generous bounds (the box is shared: 400 ms or 50 %). */
function mismatch(a: ScenarioReport | undefined, b: ScenarioReport | undefined): string | undefined {
  if (!a || !b) return 'missing from the report';
  if (a.status !== b.status) return `${a.status} vs ${b.status} (${[...a.failures, ...b.failures].join('; ')})`;
  const [x, y] = [keyValue(a), keyValue(b)];
  if (typeof x === 'number' && typeof y === 'number') {
    if (Math.abs(x - y) > Math.max(400, 0.5 * Math.max(x, y))) return `${a.keyMeasurement} ${x} vs ${y}`;
  } else if (x !== y) {
    return `${a.keyMeasurement} ${x} vs ${y}`;
  }
  return undefined;
}

/**
 * Run the scenarios under the file adapter and the built-in; a scenario that differs is run once more
 * under both (a single timing outlier on a loaded 2-core box is not a difference of behaviour).
 */
async function compare(file: string, fileName: string, builtIn: string, scenarios: string[]) {
  const first = await drill([file, builtIn], scenarios);
  expect([...first.keys()]).toEqual([fileName, builtIn]);
  const differing = scenarios.filter((s) => mismatch(first.get(fileName)?.get(s), first.get(builtIn)?.get(s)));
  const second = differing.length > 0 ? await drill([file, builtIn], differing) : first;
  const problems = scenarios.flatMap((s) => {
    const src = differing.includes(s) ? second : first;
    const why = mismatch(src.get(fileName)?.get(s), src.get(builtIn)?.get(s));
    return why ? [`${s}: ${why}`] : [];
  });
  expect(problems).toEqual([]);
  return first;
}

describe('adapter files through drill --impl PATH', () => {
  it('keepalived as a foreign daemon (declarative .yaml) gives the results of the built-in keepalived', async () => {
    const results = await compare(
      './scenarios/adapters/keepalived-as-foreign.yaml',
      'keepalived-as-foreign',
      'keepalived',
      SCENARIOS,
    );
    // The comparison means something only if the scenarios ran (nothing skipped for a missing tool).
    for (const s of SCENARIOS) expect(results.get('keepalived')?.get(s)?.status).not.toBe('skip');
  }, 600_000);

  it('vrrpd as an adapter module (.mjs) gives the results of the built-in vrrpd', async () => {
    const results = await compare('scenarios/adapters/vrrpd-as-module.mjs', 'vrrpd-module', 'vrrpd', ['failover']);
    expect(results.get('vrrpd-module')?.get('failover')?.status).toBe('pass');
  }, 300_000);

  it('rejects a bad adapter file before anything runs, naming FILE:LINE:COL', async () => {
    const bad = join(reportsDir, 'bad.yaml');
    await execa('sh', ['-c', `printf 'name: x\\nconfig: keepalived\\nstart: [d, "{cfg}"]\\n' > ${bad}`]);
    const r = await execa('node', [CLI, '--runs-dir', runsDir, 'drill', '--impl', bad, 'failover'], {
      reject: false,
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:3:12: error: start\[1\]: unknown placeholder \{cfg\}/);
    expect(r.stdout).toBe('');
  });
});
