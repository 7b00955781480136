import { checkConvergence, checkSingleHolder } from '../harness/scenario/assertions.js';
import { nth, observe, startAndConverge } from '../harness/scenario/steps.js';
import type { Scenario } from '../harness/scenario/types.js';

/**
 * The seed's fix: the same switch still drops multicast, but unicast_src_ip/unicast_peer carry the adverts
 * (docs/quirks.md Q24, one peer per line: quirks Q9): exactly one holder, stable for 5 s (docs/quirks.md Q30).
 */
export const unicastCuresSplitBrain: Scenario = {
  name: 'unicast-cures-split-brain',
  description: 'Same multicast-dropping switch, unicast peers configured: exactly one holder.',
  topology: { file: 'seed-pair.yaml', overrides: { vrrp: { unicast: true } } },
  steps: [startAndConverge(), observe(5000, 'stable 5 s')],
  keyMeasurement: 'convergenceMs',
  assertions: (ctx) => {
    const top = nth(ctx, 0);
    const vip = ctx.vips[0]!;
    const start = ctx.mark('start');
    const startupMs = ctx.mark(`running:${top}`) - start;
    return [
      checkConvergence(ctx.timeline, {
        vip,
        host: top,
        fromMs: start,
        boundMs: startupMs + ctx.bounds(top).masterDownMs + ctx.toleranceMs,
      }),
      // From the first holder on: a unicast pair has no startup race at 1 s (skews differ by 195 ms).
      checkSingleHolder(ctx.timeline, vip, { fromMs: ctx.mark('converged'), toMs: ctx.timeline.endMs }),
    ];
  },
};
