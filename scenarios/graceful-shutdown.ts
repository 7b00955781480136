import { checkGracefulTakeover, checkSingleHolder } from '../harness/scenario/assertions.js';
import { FAST_THREE_HOSTS, nth, observe, startAndConverge, stopMasterAndSettle } from '../harness/scenario/steps.js';
import type { Scenario } from '../harness/scenario/types.js';

/**
 * Stop the Master cleanly: it sends a priority-0 advert (RFC 5798 §6.4.3) and the next priority takes over
 * Skew_Time later (§6.4.2), measured from that advert in the capture, not from when stop() returned
 * (keepalived lingers ~1 s after SIGTERM, docs/quirks.md Q4).
 */
export const gracefulShutdown: Scenario = {
  name: 'graceful-shutdown',
  description: 'Stop the Master cleanly; a priority-0 advert, then takeover within Skew_Time + tolerance.',
  topology: FAST_THREE_HOSTS,
  steps: [
    startAndConverge(),
    observe(1000, 'steady'),
    {
      name: 'stop master',
      run: async (ctx) => {
        ctx.mark('stop');
        // The single-holder window starts once the other Backup's timer can no longer fire (steps.ts).
        ctx.mark('taken over', await stopMasterAndSettle(ctx));
      },
    },
    observe(1000, 'after takeover'),
  ],
  keyMeasurement: 'gracefulMs',
  assertions: (ctx) => {
    const next = nth(ctx, 1);
    return [
      checkGracefulTakeover(ctx.timeline, {
        vip: ctx.vips[0]!,
        oldMaster: nth(ctx, 0),
        newMaster: next,
        stopMs: ctx.mark('stop'),
        skewMs: ctx.bounds(next).skewMs,
        toleranceMs: ctx.toleranceMs,
      }),
      checkSingleHolder(ctx.timeline, ctx.vips[0]!, { fromMs: ctx.mark('taken over'), toMs: ctx.timeline.endMs }),
    ];
  },
};
