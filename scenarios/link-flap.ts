import { checkSingleHolder, countTransitions } from '../harness/scenario/assertions.js';
import { check } from '../harness/scenario/check.js';
import { FAST_THREE_HOSTS, generousMs, nth, observe, startAndConverge } from '../harness/scenario/steps.js';
import type { Scenario } from '../harness/scenario/types.js';

/**
 * Chaos: the Master's switch port flaps (down 1 s / up 1 s, 4 times: each down outlasts the Backup's
 * Master_Down_Interval at 0.2 s, so each is a real failover). The end state must be one holder, the
 * highest priority (preempt), stable for 2 s; the number of transitions is reported, not bounded.
 */
const FLAP = { periodMs: 2000, count: 4 };
const SETTLED_MS = 2000;

export const linkFlap: Scenario = {
  name: 'link-flap',
  description: 'The Master link flaps 4× (1 s down / 1 s up): the end state is one holder; transitions reported.',
  topology: FAST_THREE_HOSTS,
  steps: [
    startAndConverge(),
    {
      name: 'flap master link',
      run: async (ctx) => {
        ctx.mark('flap');
        await ctx.faults.flap(nth(ctx, 0), FLAP);
        ctx.mark('flap done');
      },
    },
    {
      name: 'settle',
      run: async (ctx) => {
        await ctx.waitForHolder(ctx.vips[0]!, nth(ctx, 0), { timeoutMs: generousMs(ctx, nth(ctx, 0)) });
        ctx.mark('settled');
      },
    },
    observe(SETTLED_MS, 'end state'),
  ],
  keyMeasurement: 'transitions',
  assertions: (ctx) => {
    const vip = ctx.vips[0]!;
    const t = countTransitions(ctx.timeline, vip, { fromMs: ctx.mark('flap'), toMs: ctx.timeline.endMs });
    return [
      check([], { transitions: t.acquisitions, flapCycles: FLAP.count }),
      checkSingleHolder(
        ctx.timeline,
        vip,
        { fromMs: ctx.mark('settled'), toMs: ctx.timeline.endMs },
        { label: 'endState' },
      ),
    ];
  },
};
