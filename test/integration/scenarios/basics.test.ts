import { describe, expect, it } from 'vitest';
import '../../matchers/index.js';
import { rfcBounds } from '../../../harness/scenario/bounds.js';
import { convergence } from '../../../scenarios/convergence.js';
import { failover } from '../../../scenarios/failover.js';
import { garp } from '../../../scenarios/garp.js';
import { gracefulShutdown } from '../../../scenarios/graceful-shutdown.js';
import { preempt } from '../../../scenarios/preempt.js';
import { singleHolder } from '../../../scenarios/single-holder.js';
import { isRoot, mark, run, TOLERANCE_MS } from './run.js';

// Three hosts r1/r2/r3 (150/100/50), VRRPv3 at 0.2 s: FAST_THREE_HOSTS in harness/scenario/steps.ts.
const VIP = '10.99.0.254';
const r1 = { priority: 150, version: 3 as const, advertIntervalS: 0.2 };
const r2 = { ...r1, priority: 100 };

describe.skipIf(!isRoot)('scenarios: basics (netns)', () => {
  it('convergence: r1 alone holds the VIP within startup + Master_Down_Interval', async (ctx) => {
    const r = await run(convergence, ctx);
    expect(r.failures).toEqual([]);
    const startup = mark(r, 'running:r1') - mark(r, 'start');
    expect(r.timeline).toConvergeWithin(startup + rfcBounds(r1).masterDownMs + TOLERANCE_MS, {
      host: 'r1',
      fromMs: mark(r, 'start'),
    });
    expect(r.timeline).toHaveSingleVipHolder(VIP, { fromMs: mark(r, 'converged') });
  });

  it('single-holder: one holder over the steady window and after every fault', async (ctx) => {
    const r = await run(singleHolder, ctx);
    expect(r.failures).toEqual([]);
    expect(r.measurements['singleHolder.badWindows']).toBe(0);
  });

  it('failover: r2 takes over inside the RFC window after r1 crashes', async (ctx) => {
    const r = await run(failover, ctx);
    expect(r.failures).toEqual([]);
    expect(r.timeline).toFailOverWithinRfcWindow({
      oldMaster: 'r1',
      newMaster: 'r2',
      faultMs: mark(r, 'crash'),
      settings: r2,
      toleranceMs: TOLERANCE_MS,
    });
  });

  it('graceful-shutdown: priority 0, then r2 within Skew_Time', async (ctx) => {
    const r = await run(gracefulShutdown, ctx);
    expect(r.failures).toEqual([]);
    expect(r.measurements.gracefulMs).toBeLessThanOrEqual(rfcBounds(r2).skewMs + TOLERANCE_MS);
    expect(r.timeline).toHaveSingleVipHolder(VIP, { fromMs: mark(r, 'taken over') });
  });

  it('garp: every new Master announces the VIP on schedule', async (ctx) => {
    const r = await run(garp, ctx);
    expect(r.failures).toEqual([]);
    expect(r.measurements['garp.masterships']).toBeGreaterThanOrEqual(2);
  });

  it('preempt: the restarted r1 takes the VIP back', async (ctx) => {
    const r = await run(preempt, ctx);
    expect(r.failures).toEqual([]);
    expect(r.timeline).toConvergeWithin(
      mark(r, 'running again') - mark(r, 'restart') + rfcBounds(r1).masterDownMs + TOLERANCE_MS,
      { host: 'r1', fromMs: mark(r, 'restart') },
    );
  });
});
