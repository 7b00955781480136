import { checkSingleHolder, countTransitions } from '../harness/scenario/assertions.js';
import { check } from '../harness/scenario/check.js';
import { FAST_THREE_HOSTS, generousMs, nth, observe, startAndConverge } from '../harness/scenario/steps.js';
import type { Scenario } from '../harness/scenario/types.js';

/**
 * Chaos: 20 % netem loss on the Master's link (both directions) for 10 s. A Backup takes over only after
 * 3 consecutive lost adverts (+ skew), so some flaps are expected; the end state after the loss is removed
 * must be one holder (the highest priority: preempt), and the number of transitions is reported.
 */
const LOSS_PERCENT = 20;
const LOSS_MS = 10_000;

export const lossyLink: Scenario = {
  name: 'lossy-link',
  description: `${LOSS_PERCENT} % loss on the Master link for ${LOSS_MS / 1000} s: the end state is one holder; transitions reported.`,
  topology: FAST_THREE_HOSTS,
  steps: [
    startAndConverge(),
    {
      name: `loss ${LOSS_PERCENT}%`,
      run: async (ctx) => {
        ctx.mark('loss');
        const undo = await ctx.faults.loss(nth(ctx, 0), LOSS_PERCENT);
        try {
          await ctx.observe(LOSS_MS);
        } finally {
          await undo();
        }
        ctx.mark('loss removed');
      },
    },
    {
      name: 'settle',
      run: async (ctx) => {
        await ctx.waitForHolder(ctx.vips[0]!, nth(ctx, 0), { timeoutMs: generousMs(ctx, nth(ctx, 0)) });
        ctx.mark('settled');
      },
    },
    observe(2000, 'end state'),
  ],
  keyMeasurement: 'transitions',
  assertions: (ctx) => {
    const vip = ctx.vips[0]!;
    const t = countTransitions(ctx.timeline, vip, { fromMs: ctx.mark('loss'), toMs: ctx.mark('loss removed') });
    return [
      check([], { transitions: t.acquisitions, lossPercent: LOSS_PERCENT }),
      checkSingleHolder(
        ctx.timeline,
        vip,
        { fromMs: ctx.mark('settled'), toMs: ctx.timeline.endMs },
        { label: 'endState' },
      ),
    ];
  },
};
