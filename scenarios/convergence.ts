import { checkConvergence, checkSingleHolder } from '../harness/scenario/assertions.js';
import { FAST_THREE_HOSTS, nth, observe, STARTUP_RACE, startAndConverge } from '../harness/scenario/steps.js';
import type { Scenario } from '../harness/scenario/types.js';

/**
 * Start every node at once; measure the time until exactly one node holds the VIP and it is the highest
 * priority. RFC 5798 §6.4.1: a non-owner starts in Backup and waits Master_Down_Interval, so the bound is
 * the measured process start-up + Master_Down_Interval(highest) + tolerance.
 */
export const convergence: Scenario = {
  name: 'convergence',
  description: 'Start all nodes; exactly one holder, the highest priority, within Master_Down_Interval.',
  topology: FAST_THREE_HOSTS,
  steps: [startAndConverge(), observe(2000, 'steady')],
  allowedTransients: [STARTUP_RACE],
  keyMeasurement: 'convergenceMs',
  assertions: (ctx) => {
    const top = nth(ctx, 0);
    const start = ctx.mark('start');
    const startupMs = ctx.mark(`running:${top}`) - start;
    const vip = ctx.vips[0]!;
    const conv = checkConvergence(ctx.timeline, {
      vip,
      host: top,
      fromMs: start,
      boundMs: startupMs + ctx.bounds(top).masterDownMs + ctx.toleranceMs,
      // A 20 ms flicker of the right node during a startup race is not convergence.
      stableMs: ctx.bounds(top).advertIntervalMs,
    });
    conv.measurements.startupMs = Math.round(startupMs);
    conv.measurements.masterDownMs = ctx.bounds(top).masterDownMs;
    return [conv, checkSingleHolder(ctx.timeline, vip, { fromMs: ctx.mark('converged'), toMs: ctx.timeline.endMs })];
  },
};
