import { runFuzz } from '../../harness/fuzz/run-fuzz.js';
import { measureCrashFailover } from '../../harness/reliability/crash-failover.js';
import { killDuringUp } from '../../harness/reliability/kill-during-up.js';
import { runSoak } from '../../harness/soak/run-soak.js';
import { runFuzzBench } from './fuzz-decode.js';
import { benchScale, type ScaleResult } from './scale.js';
import { benchTakeover, type TakeoverSample } from './takeover.js';
import { benchTopology } from './topology-build.js';

/**
 * `npm run bench`: timing targets live here, not in tests. Each figure is printed next to its RFC bound
 * and next to keepalived measured in the same run on the same machine. BENCH_RUNS sets the repetitions
 * of the takeover scenarios (default 3); BENCH_ONLY=fuzz,topology,takeover,scale,crash,netfuzz,soak,killup picks sections (BENCH_FUZZ_PACKETS: netfuzz size;
 * BENCH_SOAK_MINUTES: soak length per implementation, default 30).
 */
const runs = Number(process.env.BENCH_RUNS ?? 3);
const only = new Set((process.env.BENCH_ONLY ?? 'fuzz,topology,takeover,scale,crash,netfuzz,soak,killup').split(','));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};
const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const col = (xs: string[], w: number[]) => xs.map((x, i) => x.padEnd(w[i] ?? 12)).join('  ');

if (only.has('fuzz')) {
  console.log('\n## Codec: decode never throws (fast-check, 100 000 random and mutated packets)');
  const { runs: n, ms } = await runFuzzBench(100_000);
  console.log(`${n} cases in ${fmt(ms, 0)} ms (${fmt((n / ms) * 1000, 0)} cases/s)`);
}

if (only.has('topology')) {
  console.log(
    '\n## Topology build + destroy (no daemons), against the same topology built with plain `ip` in a shell loop',
  );
  await benchTopology();
}

if (only.has('takeover')) {
  console.log(`\n## Takeover timing, VRRPv3 at 0.2 s, three hosts; median of ${runs} runs per implementation`);
  const samples: Record<string, TakeoverSample[]> = { vrrpd: [], keepalived: [] };
  for (let i = 0; i < runs; i++) {
    for (const impl of ['vrrpd', 'keepalived'] as const) samples[impl]!.push(await benchTakeover(impl));
  }
  const m = (impl: string, k: 'gracefulMs' | 'failoverMs' | 'firstGarpMs') =>
    median(samples[impl]!.map((s) => s[k]).filter((x): x is number => x !== undefined));
  const skew = samples.vrrpd!.find((s) => s.gracefulBoundMs !== undefined)?.gracefulBoundMs ?? Number.NaN;
  const window = samples.vrrpd!.find((s) => s.failoverWindow)?.failoverWindow ?? '?';
  const mdi = Number(/, ([\d.]+)\]/.exec(window)?.[1] ?? Number.NaN);
  const w = [34, 10, 12, 16, 12, 14];
  console.log(col(['metric', 'vrrpd', 'keepalived', 'RFC bound', 'vrrpd/RFC', 'vrrpd/keepalived'], w));
  const row = (name: string, v: number, k: number, bound: string, boundMs: number) =>
    console.log(col([name, fmt(v), fmt(k), bound, fmt(v / boundMs, 3), fmt(v / k, 3)], w));
  row('graceful handover (ms)', m('vrrpd', 'gracefulMs'), m('keepalived', 'gracefulMs'), `Skew ${fmt(skew)}`, skew);
  row('silent failover (ms)', m('vrrpd', 'failoverMs'), m('keepalived', 'failoverMs'), `MDI ${window}`, mdi);
  row(
    'first GARP after first advert (ms)',
    m('vrrpd', 'firstGarpMs'),
    m('keepalived', 'firstGarpMs'),
    'target 1 ms',
    1,
  );
  console.log(
    `targets: graceful <= Skew_Time + 5 ms (${fmt(skew + 5)}), failover inside ${window} + 5 ms, first GARP <= 1 ms`,
  );
  for (const s of Object.values(samples).flat()) for (const f of s.failures) console.log(`  ! ${s.impl}: ${f}`);
}

if (only.has('scale')) {
  console.log('\n## One daemon with 255 instances at 0.1 s (VRRPv3), Master side, 10 s window');
  const results: ScaleResult[] = [];
  for (const impl of ['vrrpd', 'keepalived'] as const) {
    try {
      results.push(await benchScale(impl));
    } catch (e) {
      console.log(`  ! ${impl}: ${(e as Error).message}`);
    }
  }
  const w = [12, 10, 14, 10, 10];
  console.log(col(['impl', 'instances', 'converged ms', 'RSS MiB', 'CPU %'], w));
  for (const r of results) {
    console.log(col([r.impl, String(r.instances), String(r.convergedMs), fmt(r.rssMiB), fmt(r.cpuPercent)], w));
  }
}

if (only.has('crash')) {
  console.log(`\n## SIGKILL of the Master's VRRP process (v3, 0.2 s, two routers); median of ${runs} runs`);
  console.log('vrrpd: worker killed, its supervisor releases; keepalived: every process killed');
  const w = [12, 14, 12, 26, 12];
  console.log(col(['impl', 'failover ms', 'bound ms', 'measured from', 'VIP left'], w));
  for (const impl of ['vrrpd', 'keepalived'] as const) {
    const rs = [];
    for (let i = 0; i < runs; i++) {
      try {
        rs.push(await measureCrashFailover(impl));
      } catch (e) {
        console.log(`  ! ${impl}: ${(e as Error).message}`);
      }
    }
    const first = rs[0];
    if (!first) continue;
    const from = first.priorityZeroSeen ? 'priority-0 advert' : 'last advert';
    const bound = `${first.boundName === 'Skew_Time' ? 'Skew' : 'MDI'} ${fmt(first.boundMs)}`;
    const left = `${rs.filter((r) => r.vipLeftOnKilledNode).length}/${rs.length}`;
    console.log(col([impl, fmt(median(rs.map((r) => r.failoverMs))), bound, from, left], w));
  }
  console.log('target: vrrpd <= Skew_Time + 20 ms');
}

if (only.has('netfuzz')) {
  const packets = Number(process.env.BENCH_FUZZ_PACKETS ?? 1_000_000);
  console.log(`\n## vrrp-lab fuzz: ${packets} fuzzed packets from a tester namespace (two routers, v3 1 s), seed 1`);
  const w = [12, 6, 10, 10, 10, 40];
  console.log(col(['impl', 'pass', 'packets', 'seconds', 'pps', 'r1 / r2 accounted of expected (kernel drops)'], w));
  for (const impl of ['vrrpd', 'keepalived', 'frr'] as const) {
    try {
      const r = await runFuzz({ impl, packets, ratePps: 50_000, seed: 1 });
      const rec = (r.reconciliation ?? []).map((c) => `${c.accounted}/${c.expected} (${c.kernelDrops})`).join(' ');
      const row = [
        impl,
        r.failures.length ? 'FAIL' : 'pass',
        String(r.sent),
        fmt(r.ms / 1000),
        String(r.ratePps),
        rec || '-',
      ];
      console.log(col(row, w));
      for (const f of r.failures) console.log(`  ! ${impl}: ${f}`);
    } catch (e) {
      console.log(`  ! ${impl}: ${(e as Error).message}`);
    }
  }
}

if (only.has('soak')) {
  const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 30);
  console.log(
    `\n## vrrp-lab soak: ${minutes} min of random faults per implementation (three routers, v3 0.2 s), seed 1`,
  );
  const w = [12, 6, 8, 12, 14, 14, 16];
  console.log(col(['impl', 'pass', 'faults', 'violations', 'violations/h', 'transitions', 'transitions/h'], w));
  for (const impl of ['vrrpd', 'keepalived'] as const) {
    try {
      const r = await runSoak({ impl, durationMs: minutes * 60_000, seed: 1 });
      const perHour = (r.violations.length / r.ranMs) * 3_600_000;
      const row = [
        impl,
        r.status,
        String(r.episodes),
        String(r.violations.length),
        fmt(perHour),
        String(r.transitions),
      ];
      console.log(col([...row, String(r.transitionsPerHour)], w));
      for (const v of r.violations) console.log(`  ! ${impl} episode ${v.episode} (${v.fault}): ${v.problem}`);
      for (const e of r.errors) console.log(`  ! ${impl}: ${e}`);
    } catch (e) {
      console.log(`  ! ${impl}: ${(e as Error).message}`);
    }
  }
}

if (only.has('killup')) {
  console.log('\n## `vrrp-lab up` SIGKILLed at 50 random moments, each followed by `vrrp-lab clean` (seed 1)');
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const runsDir = await mkdtemp(join(tmpdir(), 'vrrp-lab-bench-kill-up-'));
  try {
    const r = await killDuringUp({ rounds: 50, seed: 1, runsDir });
    const leaky = r.rounds.filter((x) => x.leaks.length > 0);
    const late = r.rounds.filter((x) => x.upCompleted).length;
    console.log(
      `whole up: ${fmt(r.upMs, 0)} ms; kills: 50 (${late} after up completed: down); left something: ${leaky.length}`,
    );
    for (const l of r.calibrationLeaks) console.log(`  ! up + down + clean: ${l}`);
    for (const x of leaky)
      console.log(`  ! round ${x.round} (killed after ${x.killAfterMs} ms): ${x.leaks.join('; ')}`);
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
}
