import { runFuzz } from '../../harness/fuzz/run-fuzz.js';
import { measureCrashFailover } from '../../harness/reliability/crash-failover.js';
import { killDuringUp } from '../../harness/reliability/kill-during-up.js';
import { runSoak } from '../../harness/soak/run-soak.js';
import { runFuzzBench } from './fuzz-decode.js';
import { load1, median } from './proc-sample.js';
import { benchScale, type ScaleResult } from './scale.js';
import { benchStartup } from './startup.js';
import { benchTakeover, type TakeoverSample } from './takeover.js';
import { benchTopology } from './topology-build.js';
import { benchTwoNodes, type TwoNodeResult } from './two-nodes.js';

/**
 * `npm run bench`: timing and cost targets live here, not in tests. Every figure is vrrpd next to keepalived
 * measured in the same run on the same machine (alternated where repeated, medians), with the 1-minute load
 * average: the machine is shared, absolute numbers are noisy, the ratios are the result.
 * Environment: BENCH_ONLY=fuzz,topology,startup,cpu,scale,stability,takeover,crash,netfuzz,soak,killup picks sections;
 * BENCH_RUNS (takeover repetitions, 3), BENCH_STARTUP_RUNS (5), BENCH_CPU_S (Master CPU window, 60),
 * BENCH_STABILITY_S (stability window, 600 = the 10 minutes of the target; shorter for a quick run),
 * BENCH_FUZZ_PACKETS (netfuzz size, 10^6), BENCH_SOAK_MINUTES (soak length per implementation, 30).
 */
const env = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const runs = env('BENCH_RUNS', 3);
const startupRuns = env('BENCH_STARTUP_RUNS', 5);
const cpuS = env('BENCH_CPU_S', 60);
const stabilityS = env('BENCH_STABILITY_S', 600);
const only = new Set(
  (process.env.BENCH_ONLY ?? 'fuzz,topology,startup,cpu,scale,stability,takeover,crash,netfuzz,soak,killup')
    .split(',')
    .map((s) => s.trim()),
);

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const col = (xs: string[], w: number[]) => xs.map((x, i) => x.padEnd(w[i] ?? 12)).join('  ');

interface Row {
  metric: string;
  vrrpd: number;
  keepalived: number;
  /** Print the vrrpd/keepalived ratio (false for counts and RFC-bound rows). */
  ratio: boolean;
  target: string;
  load: string;
  digits?: number;
}
const rows: Row[] = [];
const notes: string[] = [];
const loadText = (xs: number[]) => (xs.length ? `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}` : '-');

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

if (only.has('startup')) {
  console.log(`\n## Start → Master, lone node, VRRPv3 0.1 s (MDI 341 ms): ${startupRuns} alternated runs each`);
  const l0 = await load1();
  const r = await benchStartup(startupRuns);
  const l1 = await load1();
  console.log(
    `vrrpd ms: ${r.vrrpd.map((x) => fmt(x, 0)).join(' ')}; keepalived ms: ${r.keepalived.map((x) => fmt(x, 0)).join(' ')}`,
  );
  rows.push({
    metric: 'start → Master, lone node (ms)',
    vrrpd: median(r.vrrpd),
    keepalived: median(r.keepalived),
    ratio: true,
    target: '≤ 1.25 × keepalived',
    load: loadText([l0, l1]),
    digits: 0,
  });
}

const twoNodes = async (
  windowS: number,
  busy: boolean,
): Promise<Record<'vrrpd' | 'keepalived', TwoNodeResult | undefined>> => {
  const out: Record<'vrrpd' | 'keepalived', TwoNodeResult | undefined> = { vrrpd: undefined, keepalived: undefined };
  for (const impl of ['vrrpd', 'keepalived'] as const) {
    try {
      out[impl] = await benchTwoNodes(impl, windowS, busy);
    } catch (e) {
      notes.push(`${impl} two nodes (${windowS} s${busy ? ', busy core' : ''}): ${(e as Error).message}`);
    }
  }
  return out;
};

/** One summary row from a pair of two-node runs. */
const twoNodeRow = (
  r: Record<'vrrpd' | 'keepalived', TwoNodeResult | undefined>,
  metric: string,
  pick: (x: TwoNodeResult) => number,
  rest: Pick<Row, 'ratio' | 'target' | 'digits'>,
): Row => ({
  metric,
  vrrpd: r.vrrpd ? pick(r.vrrpd) : Number.NaN,
  keepalived: r.keepalived ? pick(r.keepalived) : Number.NaN,
  load: loadText([r.vrrpd?.load, r.keepalived?.load].filter((x): x is number => x !== undefined)),
  ...rest,
});

if (only.has('cpu')) {
  console.log(`\n## Master CPU, two nodes, VRRPv3 adverts every 1 cs, ${cpuS} s window`);
  const r = await twoNodes(cpuS, false);
  rows.push(
    twoNodeRow(r, `Master CPU at 1 cs, ${cpuS} s (%)`, (x) => x.masterCpuPercent, {
      ratio: true,
      target: '≤ 2 × keepalived',
      digits: 2,
    }),
  );
}

if (only.has('scale')) {
  console.log('\n## One daemon with 255 instances at 0.1 s (VRRPv3), Master side and its peer, 10 s window');
  const results: Partial<Record<string, ScaleResult>> = {};
  const loads: number[] = [];
  for (const impl of ['vrrpd', 'keepalived'] as const) {
    try {
      results[impl] = await benchScale(impl);
      loads.push(await load1());
    } catch (e) {
      notes.push(`${impl} 255 instances: ${(e as Error).message}`);
    }
  }
  const v = results.vrrpd;
  const k = results.keepalived;
  console.log(`converged: vrrpd ${v?.convergedMs ?? '-'} ms, keepalived ${k?.convergedMs ?? '-'} ms`);
  const base = { ratio: true, load: loadText(loads) };
  rows.push({
    ...base,
    metric: '255 instances at 0.1 s: CPU (%)',
    vrrpd: v?.cpuPercent ?? Number.NaN,
    keepalived: k?.cpuPercent ?? Number.NaN,
    target: '≤ 2 × keepalived',
  });
  rows.push({
    ...base,
    metric: '255 instances at 0.1 s: RSS (MiB)',
    vrrpd: v?.rssMiB ?? Number.NaN,
    keepalived: k?.rssMiB ?? Number.NaN,
    target: '≤ 50 MiB',
  });
  rows.push({
    ...base,
    metric: '255 Backups at 0.1 s (the peer): CPU (%)',
    vrrpd: v?.backupCpuPercent ?? Number.NaN,
    keepalived: k?.backupCpuPercent ?? Number.NaN,
    target: '– (not an issue target)',
  });
}

if (only.has('stability')) {
  for (const busy of [false, true]) {
    console.log(`\n## Stability at 1 cs, two nodes, ${stabilityS} s${busy ? ', the other core busy' : ''}`);
    const r = await twoNodes(stabilityS, busy);
    for (const x of [r.vrrpd, r.keepalived])
      if (x)
        console.log(`${x.impl}: ${x.spuriousEpisodes} spurious takeovers (${x.backupAdverts} adverts from the Backup)`);
    const metric = `spurious transitions, 1 cs, ${stabilityS} s${busy ? ', busy core' : ''}`;
    rows.push(twoNodeRow(r, metric, (x) => x.spuriousEpisodes, { ratio: false, target: '0', digits: 0 }));
  }
}

if (only.has('takeover')) {
  console.log(`\n## Takeover timing, VRRPv3 at 0.2 s, three hosts; median of ${runs} alternated runs`);
  const samples: Record<string, TakeoverSample[]> = { vrrpd: [], keepalived: [] };
  const loads: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const impl of ['vrrpd', 'keepalived'] as const) {
      samples[impl]!.push(await benchTakeover(impl));
      loads.push(await load1());
    }
  }
  const m = (impl: string, k: 'gracefulMs' | 'failoverMs' | 'firstGarpMs') =>
    median(samples[impl]!.map((s) => s[k]).filter((x): x is number => x !== undefined));
  const skew = samples.vrrpd!.find((s) => s.gracefulBoundMs !== undefined)?.gracefulBoundMs ?? Number.NaN;
  const window = samples.vrrpd!.find((s) => s.failoverWindow)?.failoverWindow ?? '?';
  const mdi = Number(/, ([\d.]+)\]/.exec(window)?.[1] ?? Number.NaN);
  const base = { ratio: false, load: loadText(loads) };
  rows.push({
    ...base,
    metric: 'graceful handover (ms)',
    vrrpd: m('vrrpd', 'gracefulMs'),
    keepalived: m('keepalived', 'gracefulMs'),
    target: `≤ Skew_Time + 5 = ${fmt(skew + 5)}`,
  });
  rows.push({
    ...base,
    metric: 'silent failover (ms)',
    vrrpd: m('vrrpd', 'failoverMs'),
    keepalived: m('keepalived', 'failoverMs'),
    target: `in ${window} + 5 (≤ ${fmt(mdi + 5)})`,
  });
  rows.push({
    ...base,
    metric: 'first GARP after first advert (ms)',
    vrrpd: m('vrrpd', 'firstGarpMs'),
    keepalived: m('keepalived', 'firstGarpMs'),
    target: '≤ 1',
    digits: 2,
  });
  for (const s of Object.values(samples).flat()) for (const f of s.failures) notes.push(`${s.impl}: ${f}`);
}

if (rows.length > 0) {
  console.log('\n## Summary: vrrpd against keepalived 2.2.7, same run, same machine');
  const w = [44, 9, 11, 17, 26, 10];
  const header = ['metric', 'vrrpd', 'keepalived', 'vrrpd/keepalived', 'target', 'load (1 min)'];
  console.log(col(header, w));
  console.log(
    col(
      header.map((h, i) => '-'.repeat(Math.max(h.length, (w[i] ?? 3) - 2))),
      w,
    ),
  );
  for (const r of rows) {
    const d = r.digits ?? 1;
    const ratio = r.ratio ? fmt(r.vrrpd / r.keepalived, 2) : '-';
    console.log(col([r.metric, fmt(r.vrrpd, d), fmt(r.keepalived, d), ratio, r.target, r.load], w));
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

for (const n of notes) console.log(`  ! ${n}`);
