import { execa } from 'execa';
import { buildPlan } from '../../harness/backends/netns/build-plan.js';
import { Lab } from '../../harness/backends/netns/lab.js';
import { newRunId } from '../../harness/backends/netns/names.js';
import { generateStarTopology } from '../../harness/topology/generate.js';
import { loadTopologyFile } from '../../harness/topology/load.js';
import type { Topology } from '../../harness/topology/types.js';

/**
 * Time topology up+down through the harness (ip -batch, one fork per stage) against the same
 * topology built by a plain shell loop of `ip` commands (one fork per command, like docs/quirks.md Q21).
 * Targets: three-hosts < 0.5 s, 50 hosts < 5 s (up + down, harness).
 */
export interface TopologyBenchResult {
  name: string;
  hosts: number;
  harness: { upMs: number; downMs: number; totalMs: number };
  shellLoop: { upMs: number; downMs: number; totalMs: number };
  targetMs: number;
  withinTarget: boolean;
}

/** The same plan as the harness, one `ip` process per command (namespaces, veths, bridge, addresses). */
function shellLoopScript(topo: Topology, rid: string): { up: string; down: string } {
  const p = buildPlan(topo, rid);
  const up = [
    ...p.createNetns.map((l) => `ip ${l}`),
    ...p.createVeths.map((l) => `ip ${l}`),
    ...p.switchSetup.map((l) => `ip -n ${p.switchNetns} ${l}`),
    ...Object.entries(p.hostSetup).flatMap(([h, lines]) => lines.map((l) => `ip -n ${p.hostNetns[h]} ${l}`)),
    ...Object.values(p.hostNetns).map((ns) => `(ip netns exec ${ns} sleep infinity >/dev/null 2>&1 &)`),
  ].join('\n');
  const all = [p.switchNetns, ...Object.values(p.hostNetns)];
  const down = [
    ...all.map((ns) => `for pid in $(ip netns pids ${ns}); do kill -9 $pid; done`),
    ...all.map((ns) => `ip netns del ${ns}`),
  ].join('\n');
  return { up: `set -e\n${up}`, down };
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

async function benchOne(name: string, topo: Topology, targetMs: number, runsDir: string): Promise<TopologyBenchResult> {
  const [lab, upMs] = await time(() => Lab.build(topo, { runsDir, startNginx: false }));
  const [, downMs] = await time(() => lab.destroy());
  const rid = newRunId();
  const script = shellLoopScript(topo, rid);
  const [, shUp] = await time(() => execa('bash', ['-c', script.up]));
  const [, shDown] = await time(() => execa('bash', ['-c', script.down]));
  const r = (n: number) => Math.round(n);
  return {
    name,
    hosts: Object.keys(topo.hosts).length,
    harness: { upMs: r(upMs), downMs: r(downMs), totalMs: r(upMs + downMs) },
    shellLoop: { upMs: r(shUp), downMs: r(shDown), totalMs: r(shUp + shDown) },
    targetMs,
    withinTarget: upMs + downMs < targetMs,
  };
}

export async function benchTopology(opts: { runsDir?: string; print?: boolean } = {}): Promise<TopologyBenchResult[]> {
  const runsDir = opts.runsDir ?? '/run/vrrp-lab-bench';
  const results = [
    await benchOne('three-hosts', await loadTopologyFile('scenarios/topologies/three-hosts.yaml'), 500, runsDir),
    await benchOne('star-50', generateStarTopology({ routers: 3, clients: 47 }), 5000, runsDir),
  ];
  if (opts.print ?? true) {
    for (const x of results) {
      console.log(
        `${x.name.padEnd(12)} ${String(x.hosts).padStart(3)} hosts  harness up ${x.harness.upMs} ms + down ${x.harness.downMs} ms = ${x.harness.totalMs} ms` +
          ` (target < ${x.targetMs} ms: ${x.withinTarget ? 'ok' : 'MISSED'})  |  shell loop up ${x.shellLoop.upMs} ms + down ${x.shellLoop.downMs} ms = ${x.shellLoop.totalMs} ms`,
      );
    }
  }
  return results;
}

// `node dist/test/bench/topology-build.js` runs it directly.
if (
  process.argv[1] !== undefined &&
  import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href
) {
  await benchTopology();
}
