import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../harness/cli/commands/soak.js';
import { assertionContext, RunRecorder } from '../../../harness/scenario/context.js';
import { TimelineBuilder } from '../../../harness/scenario/synthetic-timeline.js';
import { resolveTopology } from '../../../harness/scenario/topology-source.js';
import { soakScenario } from '../../../harness/soak/run-soak.js';

const VIP = '10.99.0.254';

async function judge(seed: number, build: (tb: TimelineBuilder) => TimelineBuilder, marks: Record<string, number>) {
  const { scenario, episodes } = soakScenario({ impl: 'vrrpd', durationMs: 20_000, seed });
  const topology = await resolveTopology(scenario.topology);
  const recorder = new RunRecorder();
  Object.assign(recorder.marks, marks);
  const tb = build(new TimelineBuilder().host('r1').host('r2').host('r3').vip(VIP));
  const ctx = assertionContext({
    impl: 'vrrpd',
    topology,
    toleranceMs: 100,
    timeline: tb.end(20_000),
    recorder,
    declared: [],
    mac: () => undefined,
  });
  return { episodes, results: scenario.assertions(ctx) };
}

describe('soak', () => {
  it('the fault schedule is reproducible by seed and covers the impairment set', () => {
    const a = soakScenario({ impl: 'vrrpd', durationMs: 600_000, seed: 9 }).episodes;
    expect(soakScenario({ impl: 'vrrpd', durationMs: 600_000, seed: 9 }).episodes).toEqual(a);
    expect(new Set(a.map((e) => e.kind))).toEqual(
      new Set(['loss', 'multicast-cut', 'link-flap', 'freeze', 'crash', 'nginx-fail', 'graceful-restart']),
    );
    // FRR tracks no scripts: no nginx faults for it.
    const frr = soakScenario({ impl: 'frr', durationMs: 600_000, seed: 9 }).episodes;
    expect(frr.some((e) => e.kind === 'nginx-fail')).toBe(false);
  });

  it('one holder after the heal bound passes; a second holder then is a violation with its timeline excerpt', async () => {
    const marks = { converged: 100, 'fault:0': 1000, 'healed:0': 3000, 'fault:1': 9000 };
    const clean = await judge(1, (tb) => tb.watched('r2', VIP).watched('r3', VIP).holds('r1', VIP, 50), marks);
    expect(clean.results.flatMap((r) => r.failures)).toEqual([]);
    // Split brain during the fault is allowed; at +7 s (well after the bound) it is not.
    const bad = await judge(
      1,
      (tb) => tb.watched('r3', VIP).holds('r1', VIP, 50).holds('r2', VIP, 1500, 2000).holds('r2', VIP, 7000, 7400),
      marks,
    );
    const failures = bad.results.flatMap((r) => r.failures);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/\(episode 0\): episode 0: 2 holders \(r1, r2\) for 400 ms from \+7\.000 s/);
    const v = JSON.parse(String(bad.results.at(-1)?.measurements['soak.violationsJson']));
    expect(v[0].excerpt).toContain('+7.000 s  r2 holds 10.99.0.254');
    expect(bad.results.at(-1)?.measurements['soak.violations']).toBe(1);
  });

  it('reads durations', () => {
    expect([parseDuration('60s'), parseDuration('30m'), parseDuration('1h'), parseDuration('90')]).toEqual([
      60_000, 1_800_000, 3_600_000, 90_000,
    ]);
    expect(() => parseDuration('soon')).toThrow(/--duration/);
  });
});
