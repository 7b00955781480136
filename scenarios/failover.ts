import { checkFailover } from '../harness/scenario/assertions.js';
import { FAST_THREE_HOSTS, generousMs, nth, observe, startAndConverge } from '../harness/scenario/steps.js';
import type { Scenario } from '../harness/scenario/types.js';

/**
 * Crash the Master (SIGKILL, no priority 0, then its link down so its stale VIP cannot answer ARP,
 * docs/quirks.md Q2); the next priority takes over inside the RFC window (Master_Down_Interval − interval,
 * Master_Down_Interval], measured from the old Master's last advert in the capture.
 */
export const failover: Scenario = {
  name: 'failover',
  description: 'Crash the Master; the next priority takes over inside the RFC window.',
  topology: FAST_THREE_HOSTS,
  steps: [
    startAndConverge(),
    observe(1000, 'steady'),
    {
      name: 'crash master',
      run: async (ctx) => {
        ctx.mark('crash');
        await ctx.faults.crash(nth(ctx, 0));
        // Not exclusive: the dead Master keeps its VIP configured (quirks Q2).
        await ctx.waitForHolder(ctx.vips[0]!, nth(ctx, 1), {
          timeoutMs: generousMs(ctx, nth(ctx, 1)),
          exclusive: false,
        });
      },
    },
    observe(1000, 'after takeover'),
  ],
  keyMeasurement: 'failoverMs',
  assertions: (ctx) => {
    const next = nth(ctx, 1);
    const b = ctx.bounds(next);
    return [
      checkFailover(ctx.timeline, {
        vip: ctx.vips[0]!,
        oldMaster: nth(ctx, 0),
        newMaster: next,
        faultMs: ctx.mark('crash'),
        masterDownMs: b.masterDownMs,
        advertIntervalMs: b.advertIntervalMs,
        toleranceMs: ctx.toleranceMs,
      }),
    ];
  },
};
