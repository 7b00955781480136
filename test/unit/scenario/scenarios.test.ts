import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTopology } from '../../../harness/scenario/topology-source.js';
import { scenarios } from '../../../scenarios/index.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'scenarios');

describe('scenario catalogue', () => {
  it('has one file per scenario, named after it, all listed in the index', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'ipv6.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    const base = scenarios.filter((s) => s.variant === undefined);
    expect(base.map((s) => s.name).sort()).toEqual(files);
    // Variants (scenarios/ipv6.ts) are a core scenario under another name, with their variant in the name.
    for (const v of scenarios.filter((s) => s.variant !== undefined)) {
      expect(v.name.endsWith(`-${v.variant}`)).toBe(true);
      expect(files).toContain(v.name.slice(0, -`-${v.variant}`.length));
    }
    expect(files).toEqual([
      'convergence',
      'failover',
      'garp',
      'graceful-shutdown',
      'link-flap',
      'lossy-link',
      'multicast-drop-split-brain',
      'nginx-check-failover',
      'nopreempt',
      'preempt',
      'single-holder',
      'unicast-cures-split-brain',
    ]);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s: topology resolves and steps are declared', async (_n, s) => {
    const topo = await resolveTopology(s.topology);
    expect(Object.values(topo.hosts).some((h) => h.role === 'router')).toBe(true);
    expect(s.steps.length).toBeGreaterThan(0);
    const stepNames = s.steps.map((st) => st.name);
    for (const t of s.allowedTransients ?? []) if (t.during !== 'any') expect(stepNames).toContain(t.during);
  });

  it("keeps the seed's settings for the seed scenarios (v2, 1 s) and applies the overrides", async () => {
    const byName = Object.fromEntries(scenarios.map((s) => [s.name, s]));
    const unicast = await resolveTopology(byName['unicast-cures-split-brain']!.topology);
    const n14 = unicast.hosts.n14!.vrrp[0]!;
    expect([n14.version, n14.advertIntervalS, n14.unicast, n14.preempt]).toEqual([2, 1, true, false]);
    expect(unicast.switches.sw!.dropMulticast).toBe(true);
    const nopre = await resolveTopology(byName.nopreempt!.topology);
    expect(nopre.switches.sw!.dropMulticast).toBe(false);
    const fast = await resolveTopology(byName.failover!.topology);
    expect([fast.hosts.r2!.vrrp[0]!.version, fast.hosts.r2!.vrrp[0]!.advertIntervalS]).toEqual([3, 0.2]);
  });
});
