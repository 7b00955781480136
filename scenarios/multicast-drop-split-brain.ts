import { firstMultiHolder } from '../harness/scenario/assertions.js';
import { check, ms } from '../harness/scenario/check.js';
import { generousMs, nth, observe, startAll } from '../harness/scenario/steps.js';
import type { Scenario } from '../harness/scenario/types.js';

/**
 * The seed's incident: the upstream switch drops VRRP multicast, neither node hears the other, both become
 * Master and both hold the VIP (docs/quirks.md Q30: ≥2 holders by ~3.7 s in 3/3). This scenario PASSES when the
 * harness detects the split brain and reports when it started: it proves the harness sees the failure.
 */
export const multicastDropSplitBrain: Scenario = {
  name: 'multicast-drop-split-brain',
  description:
    "The switch drops VRRP multicast (the seed's incident): the harness detects ≥2 holders and when it started.",
  topology: { file: 'seed-pair.yaml' },
  steps: [
    {
      name: 'start all',
      run: async (ctx) => {
        await startAll(ctx);
        await ctx.waitForHolders(ctx.vips[0]!, 2, { timeoutMs: generousMs(ctx, nth(ctx, 1)) });
      },
    },
    observe(2000, 'split brain'),
  ],
  keyMeasurement: 'splitBrainAfterMs',
  assertions: (ctx) => {
    const vip = ctx.vips[0]!;
    const start = ctx.mark('start');
    const w = firstMultiHolder(ctx.timeline, vip, start);
    if (!w) return [check([`split brain not detected: never ≥2 holders of ${vip}`])];
    return [
      check([], {
        splitBrainAfterMs: ms(w.startMs - start),
        splitBrainHolders: w.holders.join(', '),
        splitBrainLengthMs: ms(w.lengthMs),
        splitBrainOpenAtEnd: w.open ? 'yes' : 'no',
      }),
    ];
  },
};
