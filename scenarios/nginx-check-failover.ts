import { checkSingleHolder, holderLog, takeoverTime } from '../harness/scenario/assertions.js';
import { check, ms } from '../harness/scenario/check.js';
import { generousMs, nth, observe, startAndConverge } from '../harness/scenario/steps.js';
import { at } from '../harness/scenario/timeline.js';
import type { AssertionContext, Scenario, ScenarioContext } from '../harness/scenario/types.js';

/**
 * nginx on the Master starts failing its health check; the tracked script (the seed's check_nginx) lowers the
 * priority and the VIP moves; when nginx recovers, preempt rules decide. Uses the seed's final settings:
 * unicast peers on the multicast-dropping switch, nopreempt, check interval 10 s, weight 0.
 *
 * Bound (docs/quirks.md Q31): detection takes at most fall × interval + the check's timeout; then weight 0 ⇒ FAULT,
 * a priority-0 advert and takeover after Skew_Time; a non-zero weight ⇒ the Backup waits its full
 * Master_Down_Interval, discarding the lower-priority adverts (quirks Q11).
 */
function scriptOf(ctx: Pick<AssertionContext, 'settings'>, host: string) {
  const s = ctx.settings(host).trackScripts[0];
  if (!s) throw new Error(`${host} has no track script`);
  return s;
}

function detectionMs(ctx: Pick<AssertionContext, 'settings'>, host: string): number {
  const s = scriptOf(ctx, host);
  return s.fall * s.intervalS * 1000 + (s.timeoutS ?? 1) * 1000;
}

function recoveryWatchMs(ctx: ScenarioContext, host: string): number {
  const s = scriptOf(ctx, host);
  return s.rise * s.intervalS * 1000 + (s.timeoutS ?? 1) * 1000 + ctx.bounds(host).masterDownMs + 2000;
}

export const nginxCheckFailover: Scenario = {
  name: 'nginx-check-failover',
  description:
    'nginx on the Master fails its health check: the tracked script moves the VIP; on recovery preempt rules decide.',
  topology: { file: 'seed-pair.yaml', overrides: { vrrp: { unicast: true } } },
  timeoutMs: 120_000,
  steps: [
    startAndConverge(),
    observe(1000, 'steady'),
    {
      name: 'nginx fails',
      run: async (ctx) => {
        const [top, other] = [nth(ctx, 0), nth(ctx, 1)];
        ctx.mark('nginx fails');
        await ctx.faults.nginxFail(top);
        await ctx.waitForHolder(ctx.vips[0]!, other, { timeoutMs: detectionMs(ctx, top) + generousMs(ctx, other) });
        ctx.mark('moved');
      },
    },
    {
      name: 'nginx recovers',
      run: async (ctx) => {
        const top = nth(ctx, 0);
        ctx.mark('nginx recovers');
        await ctx.faults.nginxRecover(top);
        if (ctx.settings(top).preempt)
          await ctx.waitForHolder(ctx.vips[0]!, top, { timeoutMs: recoveryWatchMs(ctx, top) + 10_000 });
        // With nopreempt there is no event to wait for: watching long enough for the script to rise and a
        // Master_Down_Interval to pass is what shows that nothing happens.
        else await ctx.observe(recoveryWatchMs(ctx, top));
      },
    },
  ],
  keyMeasurement: 'nginxFailoverMs',
  assertions: (ctx) => {
    const [top, other] = [nth(ctx, 0), nth(ctx, 1)];
    const vip = ctx.vips[0]!;
    const script = scriptOf(ctx, top);
    const fail = ctx.mark('nginx fails');
    const failures: string[] = [];
    const takeover = takeoverTime(ctx.timeline, vip, other, fail);
    const takeoverBound = script.weight === 0 ? ctx.bounds(other).skewMs : ctx.bounds(other).masterDownMs;
    const boundMs = detectionMs(ctx, top) + takeoverBound + ctx.toleranceMs;
    const m: Record<string, number | string> = { 'nginxFailover.boundMs': ms(boundMs) };
    if (!takeover) failures.push(`${other} never took over after nginx failed at ${at(ctx.timeline, fail)}`);
    else {
      m.nginxFailoverMs = ms(takeover.tMs - fail);
      if (takeover.tMs - fail > boundMs)
        failures.push(`VIP moved ${ms(takeover.tMs - fail)} ms after nginx failed, beyond ${ms(boundMs)} ms`);
    }
    const recover = ctx.mark('nginx recovers');
    const expected = ctx.settings(top).preempt ? top : other;
    const atEnd = holderLog(ctx.timeline).holdersAt(vip, ctx.timeline.endMs);
    if (atEnd.length !== 1 || atEnd[0] !== expected) {
      failures.push(
        `after nginx recovered (${ctx.settings(top).preempt ? 'preempt' : 'nopreempt'}) ${atEnd.join(', ') || 'nobody'} holds ${vip}, expected ${expected}`,
      );
    }
    m.holderAfterRecovery = atEnd.join(', ');
    return [
      check(failures, m),
      checkSingleHolder(ctx.timeline, vip, { fromMs: ctx.mark('moved'), toMs: recover }, { label: 'whileFailing' }),
    ];
  },
};
