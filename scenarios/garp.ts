import { checkAllGarps } from '../harness/scenario/garp-check.js';
import { FAST_THREE_HOSTS, generousMs, nth, observe, startAndConverge } from '../harness/scenario/steps.js';
import type { Scenario } from '../harness/scenario/types.js';

/**
 * On every transition to Master the new Master announces every VIP with gratuitous ARPs (RFC 5798 §6.4.1-2)
 * from the right sender MAC and IP, in the count and spacing the implementation is configured for
 * (keepalived/vrrpd: 5 at once + 5 after 5 s; FRR: exactly 1, docs/protocol.md §6). Two masterships are
 * observed for > 5 s each so both bursts are due.
 */
const SECOND_BURST_WAIT_MS = 6000;

export const garp: Scenario = {
  name: 'garp',
  description: 'Gratuitous ARPs on every transition to Master: sender, count and spacing vs the configured schedule.',
  topology: FAST_THREE_HOSTS,
  steps: [
    startAndConverge(),
    observe(SECOND_BURST_WAIT_MS, 'first mastership'),
    {
      name: 'stop master',
      run: async (ctx) => {
        await ctx.faults.stop(nth(ctx, 0));
        await ctx.waitForHolder(ctx.vips[0]!, nth(ctx, 1), { timeoutMs: generousMs(ctx, nth(ctx, 1)) });
      },
    },
    observe(SECOND_BURST_WAIT_MS, 'second mastership'),
  ],
  keyMeasurement: 'garp.masterships',
  assertions: (ctx) => {
    const s = ctx.settings(nth(ctx, 0));
    return [
      checkAllGarps(ctx.timeline, {
        impl: ctx.impl,
        garp: s.garp,
        vrid: s.vrid,
        intervalMs: ctx.bounds(nth(ctx, 0)).advertIntervalMs,
        vips: ctx.vips,
        mac: ctx.mac,
        toleranceMs: ctx.toleranceMs,
      }),
    ];
  },
};
