import { describe, expect, it } from 'vitest';
import type { ImplName } from '../../../harness/adapters/types.js';
import { checkSingleHolder } from '../../../harness/scenario/assertions.js';
import { runScenario } from '../../../harness/scenario/run-scenario.js';
import type { LabSession, SessionFactory } from '../../../harness/scenario/session.js';
import { unavailableFactory } from '../../../harness/scenario/sessions.js';
import type { ProgressEvent, Scenario } from '../../../harness/scenario/types.js';
import { monotonicMs } from '../../../src/util/clock.js';
import { fakeSession } from './fake-session.js';

/** A lab that "runs" in memory: start(h) makes h the holder; destroy() is counted. */
function fakeFactory(o: { unsupported?: string[]; failOpen?: boolean } = {}) {
  const calls: string[] = [];
  let holder: string | undefined;
  let t0 = 0;
  const holders: Array<{ tMs: number; host: string; vip: string; held: boolean; initial?: boolean }> = [];
  const session: LabSession = fakeSession({
    start: async (h) => {
      calls.push(`start ${h}`);
      if (holder) holders.push({ tMs: monotonicMs(), host: holder, vip: '10.99.0.254', held: false });
      holder = h;
      holders.push({ tMs: monotonicMs(), host: h, vip: '10.99.0.254', held: true });
    },
    stop: async (h) => {
      calls.push(`stop ${h}`);
    },
    kill: async (h) => {
      calls.push(`kill ${h}`);
      throw new Error(`kill ${h} went wrong`);
    },
    holders: () => (holder ? [holder] : []),
    finish: async () => {
      calls.push('finish');
      return {
        t0Ms: t0,
        endMs: monotonicMs(),
        hosts: [],
        vips: ['10.99.0.254'],
        holders: [{ tMs: t0, host: 'r1', vip: '10.99.0.254', held: false, initial: true }, ...holders],
        states: [],
        adverts: [],
        garps: [],
      };
    },
    destroy: async () => {
      calls.push('destroy');
    },
  });
  const factory: SessionFactory = {
    backend: 'netns',
    unavailable: async () => undefined,
    unsupported: async (_t, impl: ImplName) => (o.unsupported ?? []).map((u) => `${impl}: ${u}`),
    open: async (_t, opts) => {
      t0 = opts.t0Ms;
      if (o.failOpen) throw new Error('no root');
      return session;
    },
  };
  return { factory, calls };
}

const topology = { file: 'three-hosts.yaml' };

function scenario(steps: Scenario['steps']): Scenario {
  return {
    name: 'fake',
    description: 'a fake scenario',
    topology,
    steps,
    assertions: (ctx) => [
      checkSingleHolder(ctx.timeline, '10.99.0.254', { fromMs: ctx.mark('up'), toMs: ctx.timeline.endMs }),
    ],
  };
}

describe('runScenario', () => {
  it('runs the steps, collects the timeline, passes, and destroys the lab', async () => {
    const { factory, calls } = fakeFactory();
    const progress: ProgressEvent[] = [];
    const s = scenario([
      {
        name: 'start r1',
        run: async (ctx) => {
          await ctx.faults.start('r1');
          await ctx.waitForHolder('10.99.0.254', 'r1', { timeoutMs: 1000 });
          ctx.mark('up');
        },
      },
    ]);
    const r = await runScenario(s, { impl: 'vrrpd', sessions: factory, progress: (e) => progress.push(e) });
    expect(r.failures).toEqual([]);
    expect(r.status).toBe('pass');
    expect(calls).toEqual(['start r1', 'finish', 'destroy']);
    expect(r.timeline.faults.map((f) => f.label)).toEqual(['start r1']);
    expect(r.timeline.steps.map((st) => st.name)).toEqual(['start r1']);
    expect(progress.map((p) => p.step)).toEqual(['setup', 'start r1', 'teardown', 'assert']);
    expect(r.description).toBe('a fake scenario');
  });

  it('fails with the step name when a step throws, and still destroys the lab', async () => {
    const { factory, calls } = fakeFactory();
    const r = await runScenario(scenario([{ name: 'crash r1', run: (ctx) => ctx.faults.crash('r1') }]), {
      impl: 'vrrpd',
      sessions: factory,
    });
    expect(r.status).toBe('fail');
    expect(r.failures).toEqual(['crash r1: kill r1 went wrong']);
    expect(calls).toEqual(['kill r1', 'finish', 'destroy']);
  });

  it('fails a step that exceeds the scenario timeout', async () => {
    const { factory, calls } = fakeFactory();
    const s = { ...scenario([{ name: 'hang', run: () => new Promise<void>(() => {}) }]), timeoutMs: 50 };
    const r = await runScenario(s, { impl: 'vrrpd', sessions: factory });
    expect(r.failures[0]).toMatch(/^hang: timed out after \d+ ms waiting for step "hang"/);
    expect(calls).toContain('destroy');
  });

  it('reports a missing mark as an assertion failure rather than throwing', async () => {
    const { factory } = fakeFactory();
    const r = await runScenario(scenario([{ name: 'nothing', run: async () => {} }]), {
      impl: 'vrrpd',
      sessions: factory,
    });
    expect(r.failures).toEqual(['assertions: scenario: no mark "up" was recorded by the steps']);
  });

  it('skips with the reason when the adapter cannot express the settings', async () => {
    const { factory, calls } = fakeFactory({ unsupported: ['no unicast'] });
    const r = await runScenario(scenario([]), { impl: 'frr', sessions: factory });
    expect(r.status).toBe('skip');
    expect(r.skipReason).toBe('frr cannot run this topology: frr: no unicast');
    expect(calls).toEqual([]);
  });

  it('skips every scenario on an unavailable backend, without pretending', async () => {
    const r = await runScenario(scenario([]), {
      impl: 'vrrpd',
      sessions: unavailableFactory('docker', 'docker: no daemon'),
    });
    expect(r).toMatchObject({ status: 'skip', skipReason: 'docker: no daemon', failures: [] });
  });

  it('fails on a lab that cannot be built, and on an invalid topology override', async () => {
    const { factory } = fakeFactory({ failOpen: true });
    expect((await runScenario(scenario([]), { impl: 'vrrpd', sessions: factory })).failures).toEqual([
      'setup: no root',
    ]);
    const bad = { ...scenario([]), topology: { file: 'three-hosts.yaml', overrides: { vrrp: { priority: 300 } } } };
    const r = await runScenario(bad, { impl: 'vrrpd', sessions: fakeFactory().factory });
    expect(r.status).toBe('fail');
    expect(r.failures[0]).toMatch(/^setup: .*three-hosts.yaml.*priority/);
  });
});
