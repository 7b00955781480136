import { checkSingleHolder, countTransitions, holderLog } from '../harness/scenario/assertions.js';
import { check } from '../harness/scenario/check.js';
import { generousMs, nth, observe, startAndConverge } from '../harness/scenario/steps.js';
import { at } from '../harness/scenario/timeline.js';
import type { Scenario } from '../harness/scenario/types.js';

/**
 * The seed's settings (v2, 1 s, state BACKUP + nopreempt, priorities 100/50) on a switch that forwards
 * multicast: restart the higher-priority node; it stays Backup and the VIP stays where it is (docs/quirks.md Q32:
 * 0 transitions in 10 s). keepalived honours nopreempt only with state BACKUP (docs/protocol.md §5).
 */
export const nopreempt: Scenario = {
  name: 'nopreempt',
  description: 'Seed settings (nopreempt): the restarted higher-priority node stays Backup for 10 s.',
  topology: { file: 'seed-pair.yaml', overrides: { switches: { dropMulticast: false } } },
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
      name: 'restart former master',
      run: async (ctx) => {
        ctx.mark('restart');
        await ctx.faults.start(nth(ctx, 0));
      },
    },
    observe(10_000, 'watch 10 s'),
  ],
  keyMeasurement: 'transitionsAfterRestart',
  assertions: (ctx) => {
    const [top, other] = [nth(ctx, 0), nth(ctx, 1)];
    const vip = ctx.vips[0]!;
    const restart = ctx.mark('restart');
    const range = { fromMs: restart, toMs: ctx.timeline.endMs };
    const failures: string[] = [];
    const grabbed = ctx.timeline.holders.find((h) => h.vip === vip && h.host === top && h.held && h.tMs >= restart);
    if (grabbed) failures.push(`nopreempt: ${top} took the VIP at ${at(ctx.timeline, grabbed.tMs)} after its restart`);
    const holder = holderLog(ctx.timeline).holdersAt(vip, ctx.timeline.endMs);
    if (holder.length !== 1 || holder[0] !== other) {
      failures.push(`nopreempt: at the end ${holder.join(', ') || 'nobody'} holds ${vip}, expected ${other}`);
    }
    const stays = check(failures, { transitionsAfterRestart: countTransitions(ctx.timeline, vip, range).acquisitions });
    return [stays, checkSingleHolder(ctx.timeline, vip, range, { label: 'afterRestart' })];
  },
};
