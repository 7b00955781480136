import { describe, expect, it } from 'vitest';
import '../../matchers/index.js';
import { multicastDropSplitBrain } from '../../../scenarios/multicast-drop-split-brain.js';
import { nginxCheckFailover } from '../../../scenarios/nginx-check-failover.js';
import { nopreempt } from '../../../scenarios/nopreempt.js';
import { unicastCuresSplitBrain } from '../../../scenarios/unicast-cures-split-brain.js';
import { isRoot, mark, run } from './run.js';

// The seed pair n14/n15 (100/50), v2 at 1 s, nopreempt, VIP 10.99.0.16 (scenarios/topologies/seed-pair.yaml).
const VIP = '10.99.0.16';

describe.skipIf(!isRoot)("scenarios: the seed's story (netns)", () => {
  it('nopreempt: the restarted n14 stays Backup', async (ctx) => {
    const r = await run(nopreempt, ctx);
    expect(r.failures).toEqual([]);
    expect(r.measurements.transitionsAfterRestart).toBe(0);
    expect(r.timeline).toHaveSingleVipHolder(VIP, { fromMs: mark(r, 'restart') });
  });

  it('multicast-drop-split-brain: the harness detects both nodes holding the VIP', async (ctx) => {
    const r = await run(multicastDropSplitBrain, ctx);
    expect(r.failures).toEqual([]);
    expect(r.measurements.splitBrainHolders).toBe('n14, n15');
    expect(r.timeline).not.toHaveSingleVipHolder(VIP, { fromMs: mark(r, 'start') });
  });

  it('unicast-cures-split-brain: exactly one holder on the same switch', async (ctx) => {
    const r = await run(unicastCuresSplitBrain, ctx);
    expect(r.failures).toEqual([]);
    expect(r.timeline).toHaveSingleVipHolder(VIP, { fromMs: mark(r, 'converged') });
  });

  it('nginx-check-failover: a failing nginx moves the VIP; nopreempt keeps it there', async (ctx) => {
    const r = await run(nginxCheckFailover, ctx);
    expect(r.failures).toEqual([]);
    expect(r.measurements.holderAfterRecovery).toBe('n15');
  });
});
