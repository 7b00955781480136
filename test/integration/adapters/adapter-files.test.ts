import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declarativeFiles } from '../../../harness/adapters/declarative-adapter.js';
import type { LabAdapter } from '../../../harness/adapters/lab-adapter.js';
import { isAlive, procState } from '../../../harness/adapters/proc.js';
import { processTree } from '../../../harness/adapters/process-tree.js';
import { resolveAdapter } from '../../../harness/adapters/registry.js';
import { lastSignal } from '../../../harness/adapters/signal-log.js';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import { Lab } from '../../../harness/backends/netns/lab.js';
import type { Manifest } from '../../../harness/backends/netns/manifest.js';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { pidsInNetns } from '../../../harness/platform/procfs.js';
import { defineTopology } from '../../../harness/topology/load.js';

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

  it('negative control: the same file with a wrong stop signal does not give the same results', async () => {
    // SIGUSR1 only makes keepalived dump its data: no graceful stop, so graceful-shutdown must differ.
    const text = await readFile('scenarios/adapters/keepalived-as-foreign.yaml', 'utf8');
    const broken = join(reportsDir, 'broken.yaml');
    await writeFile(
      broken,
      text.replace('name: keepalived-as-foreign', 'name: broken').replace('stop: SIGTERM', 'stop: SIGUSR1'),
    );
    const results = await drill([broken, 'keepalived'], ['graceful-shutdown']);
    expect(results.get('keepalived')?.get('graceful-shutdown')?.status).toBe('pass');
    expect(
      mismatch(results.get('broken')?.get('graceful-shutdown'), results.get('keepalived')?.get('graceful-shutdown')),
    ).toMatch(/^fail vs pass/);
  }, 300_000);

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

  it('skips, with the reason, an implementation whose program is not installed', async () => {
    const missing = join(reportsDir, 'missing.json');
    await writeFile(
      missing,
      JSON.stringify({ name: 'ghost', config: 'keepalived', start: ['no-such-vrrpd', '{config}'] }),
    );
    const r = await execa('node', [CLI, '--runs-dir', runsDir, 'drill', '--impl', missing, 'failover'], {
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('[ghost] failover: SKIP in 0.0 s (ghost needs no-such-vrrpd: not found)');
  });
});

describe('up and down with an adapter file', () => {
  it('up --impl PATH starts it; down, in another process, loads it again from the manifest and stops it', async () => {
    const cli = (...args: string[]) => execa('node', [CLI, '--runs-dir', runsDir, ...args], { reject: false });
    const up = await cli(
      'up',
      'scenarios/topologies/three-hosts.yaml',
      '--impl',
      './scenarios/adapters/keepalived-as-foreign.yaml',
    );
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stdout).toContain('started keepalived-as-foreign on r1, r2, r3');
    const rid = up.stdout.trim().split('\n').at(-1) ?? '';
    const manifest = JSON.parse(await readFile(join(runsDir, rid, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.impl).toBe('keepalived-as-foreign');
    expect(manifest.implSource).toBe(join(process.cwd(), 'scenarios/adapters/keepalived-as-foreign.yaml'));
    const holds = async (h: string) =>
      (await readFile(`/proc/${manifest.anchors[h]}/net/fib_trie`, 'utf8')).includes('|-- 10.99.0.254\n');
    await waitFor(() => holds('r1'), { timeoutMs: 20_000, description: 'r1 to hold 10.99.0.254' });
    const down = await cli('down', rid);
    expect(down.exitCode, down.stderr).toBe(0);
    // Stopped through the adapter (graceful), not killed by the teardown.
    expect(down.stdout).not.toMatch(/cannot load|failed|killing/);
    expect(down.stdout).toContain(`removed ${rid}`);
  }, 120_000);
});

describe('a declarative adapter in a lab: state, freeze, crash, graceful stop', () => {
  const VIP = '10.99.0.254';
  let lab: Lab;
  let foreign: LabAdapter;
  const host = (n: string) => lab.adapterHost(n);
  const holds = (n: string) => lab.host(n).hasLocalAddress(VIP);
  const waitHolder = (n: string) => waitFor(() => holds(n), { timeoutMs: 15_000, description: `${n} to hold ${VIP}` });
  /** The started keepalived (parent) of a host and every process it forked. */
  const tree = async (n: string) => {
    const rec = await readFile(declarativeFiles(foreign, host(n)).process, 'utf8').catch(() => undefined);
    return rec === undefined ? [] : processTree((JSON.parse(rec) as { pid: number }).pid);
  };
  /** Processes in the host's namespace besides its anchor (there is no nginx in this topology). */
  const inNetns = async (n: string) =>
    ((await pidsInNetns([lab.host(n).netns])).get(lab.host(n).netns) ?? []).filter((p) => p !== lab.host(n).anchorPid);

  beforeAll(async () => {
    foreign = await resolveAdapter('scenarios/adapters/keepalived-as-foreign.yaml', { cwd: process.cwd() });
    const router = (n: number, priority: number) => ({
      role: 'router' as const,
      links: [{ switch: 'sw', addresses: [`10.99.0.1${n}/24`] }],
      vrrp: [{ vrid: 51, priority, version: 3 as const, advertIntervalS: 0.1, vips: [`${VIP}/24`] }],
    });
    lab = await Lab.build(
      defineTopology({ name: 'foreign', switches: { sw: {} }, hosts: { r1: router(1, 150), r2: router(2, 100) } }),
      { runsDir },
    );
    await lab.startImplementation(foreign);
    expect(lab.manifest).toMatchObject({ impl: 'keepalived-as-foreign', implSource: foreign.source });
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  it('the state command reports what the holders show', async () => {
    await waitHolder('r1');
    expect(await foreign.state(host('r1'))).toEqual([
      { instance: 'VI_1', vrid: 51, state: 'MASTER', effectivePriority: 150 },
    ]);
    expect(await foreign.state(host('r2'))).toEqual([
      { instance: 'VI_1', vrid: 51, state: 'BACKUP', effectivePriority: 100 },
    ]);
    // keepalived -P: the parent and its VRRP child.
    expect((await tree('r1')).length).toBe(2);
  });

  it('freeze stops the whole process tree (r2 takes over), thaw resumes it (r1 preempts back)', async () => {
    const pids = await tree('r1');
    await foreign.freeze(host('r1'));
    expect(pids.map(procState)).toEqual(pids.map(() => 'T'));
    expect((await foreign.state(host('r1')))[0]?.state).toBe('UNKNOWN');
    await waitHolder('r2');
    await foreign.thaw(host('r1'));
    expect(pids.map(procState)).not.toContain('T');
    await waitFor(async () => (await holds('r1')) && !(await holds('r2')), {
      timeoutMs: 15_000,
      description: 'r1 alone to hold the VIP again',
    });
  });

  it('kill is SIGKILL of the tree: nothing left running, the VIP stays until cleanupStale', async () => {
    const pids = await tree('r1');
    await foreign.kill(host('r1'));
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await inNetns('r1')).toEqual([]);
    // A crashed keepalived does not remove its VIP (no priority 0 either): both hold it now.
    await waitHolder('r2');
    expect(await holds('r1')).toBe(true);
    await foreign.cleanupStale(host('r1'));
    expect(await holds('r1')).toBe(false);
    await foreign.start(host('r1'));
    await waitHolder('r1');
  });

  it('stop is graceful: the VIP is released, r2 takes over, the process tree exits', async () => {
    await waitFor(() => holds('r2').then((h) => !h), { timeoutMs: 15_000, description: 'r2 to release the VIP' });
    const pids = await tree('r1');
    await foreign.stop(host('r1'));
    await waitHolder('r2');
    expect(pids.filter(isAlive)).toEqual([]);
    // A graceful keepalived removes its VIP (a SIGKILLed one leaves it, as above).
    expect(await holds('r1')).toBe(false);
    expect(lastSignal(host('r1'))?.action).toBe('stop');
    await foreign.stop(host('r2'));
    expect(await inNetns('r2')).toEqual([]);
  });
});
