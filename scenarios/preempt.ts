import { checkConvergence, checkSingleHolder } from '../harness/scenario/assertions.js';
import { FAST_THREE_HOSTS, generousMs, nth, observe, startAndConverge } from '../harness/scenario/steps.js';
import type { Scenario } from '../harness/scenario/types.js';

/**
 * Restart the highest-priority node with preempt on (the RFC default): it takes the VIP back. Preemption is
 * RFC-strict (docs/quirks.md Q11): the returning node discards the lower-priority adverts and waits its full
 * Master_Down_Interval, so the bound is its process start-up + Master_Down_Interval + tolerance.
 */
export const preempt: Scenario = {
  name: 'preempt',
  description: 'Restart the highest-priority node with preempt: it takes the VIP back after Master_Down_Interval.',
  topology: FAST_THREE_HOSTS,
  steps: [
    startAndConverge(),
    {
      name: 'stop master',
      run: async (ctx) => {
        await ctx.faults.stop(nth(ctx, 0));
        await ctx.waitForHolder(ctx.vips[0]!, nth(ctx, 1), { timeoutMs: generousMs(ctx, nth(ctx, 1)) });
      },
    },
    {
      name: 'master returns',
      run: async (ctx) => {
        const top = nth(ctx, 0);
        ctx.mark('restart');
        await ctx.faults.start(top);
        ctx.mark('running again');
        await ctx.waitForHolder(ctx.vips[0]!, top, { timeoutMs: generousMs(ctx, top) });
        ctx.mark('preempted');
      },
    },
    observe(2000, 'after preemption'),
  ],
  allowedTransients: [
    { kind: 'multi', maxAdverts: 1, during: 'master returns', reason: 'preemption overlap (docs/quirks.md Q11)' },
  ],
  keyMeasurement: 'preemptMs',
  assertions: (ctx) => {
    const top = nth(ctx, 0);
    const restart = ctx.mark('restart');
    const startupMs = ctx.mark('running again') - restart;
    const r = checkConvergence(ctx.timeline, {
      vip: ctx.vips[0]!,
      host: top,
      fromMs: restart,
      boundMs: startupMs + ctx.bounds(top).masterDownMs + ctx.toleranceMs,
      label: 'preempt',
    });
    r.measurements.startupMs = Math.round(startupMs);
    return [
      r,
      checkSingleHolder(
        ctx.timeline,
        ctx.vips[0]!,
        { fromMs: restart, toMs: ctx.timeline.endMs },
        { allowed: ctx.allowed(), label: 'afterRestart' },
      ),
    ];
  },
};
