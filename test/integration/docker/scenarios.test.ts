import { describe, expect, it } from 'vitest';
import '../../matchers/index.js';
import type { ImplName } from '../../../harness/adapters/types.js';
import { dockerSessionFactory } from '../../../harness/backends/docker/scenario-session.js';
import { runScenario } from '../../../harness/scenario/run-scenario.js';
import { sessionFactory } from '../../../harness/scenario/sessions.js';
import { convergence } from '../../../scenarios/convergence.js';
import { failover } from '../../../scenarios/failover.js';
import { reason, skip, tempRunsDir } from './helpers.js';

/** VRRPLAB_IMPL=vrrpd|frr runs the same scenarios against another implementation (default keepalived). */
const IMPL = (process.env.VRRPLAB_IMPL ?? 'keepalived') as ImplName;
const TOLERANCE_MS = Number(process.env.VRRPLAB_TOLERANCE_MS ?? 150);

describe.skipIf(skip)(`scenarios on the docker backend (${IMPL})${reason ? ` (${reason})` : ''}`, () => {
  it('sessions.ts finds the docker backend (not the "not available" stand-in)', async () => {
    const f = await sessionFactory('docker');
    expect(f.backend).toBe('docker');
    expect(await f.unavailable()).toBeUndefined();
  });

  for (const scenario of [convergence, failover]) {
    it(`${scenario.name} passes in containers`, async (ctx) => {
      const r = await runScenario(scenario, {
        impl: IMPL,
        backend: 'docker',
        toleranceMs: TOLERANCE_MS,
        runsDir: await tempRunsDir(),
        sessions: await dockerSessionFactory(),
      });
      if (r.status === 'skip') ctx.skip(r.skipReason);
      if (r.status === 'fail') console.error(`${scenario.name} on docker:`, r.measurements, r.artifactsDir ?? '');
      expect(r.failures).toEqual([]);
      expect(r.status).toBe('pass');
    });
  }
});
