import { monotonicMs } from '../../src/util/clock.js';
import type { AssertionContext, ScenarioContext, ScenarioStep } from './types.js';

/**
 * Building blocks the scenario files share. Every wait is on a condition (a holder change seen by the
 * sampler) with a generous timeout; measured times come from the timeline afterwards, not from here.
 */

type Ctx = Pick<ScenarioContext, 'routers' | 'settings'> | Pick<AssertionContext, 'routers' | 'settings'>;

/** Routers by configured priority, highest first (the expected Master first). */
export function byPriority(ctx: Ctx): string[] {
  return [...ctx.routers].sort((a, b) => ctx.settings(b).priority - ctx.settings(a).priority);
}

export function nth(ctx: Ctx, i: number): string {
  const h = byPriority(ctx)[i];
  if (h === undefined) throw new Error(`the topology has fewer than ${i + 1} routers`);
  return h;
}

/**
 * A timeout for "wait until X holds the VIP": far above the RFC bound, so a slow machine does not fail a
 * scenario in the wait (the assertion compares the measured time with the bound, with the tolerance).
 */
export function generousMs(ctx: ScenarioContext, host: string): number {
  return 3 * ctx.bounds(host).masterDownMs + 10_000;
}

/**
 * Start the implementation on every router. Marks 'start' (just before the first start command) and
 * 'running:<host>' when that host's start() resolved (the process runs), so a convergence bound can add the
 * measured process start-up time instead of guessing it.
 *
 * At once, unless a router is configured `nopreempt`: then one after the other, highest priority first, as an
 * operator brings up such a cluster. With nopreempt the first Backup whose Master_Down_Interval runs out keeps
 * the VIP for good, and the intervals of two routers differ only by their Skew_Times (195 ms at priorities 100
 * and 50, advert 1 s): on a loaded machine one process starting that much later than the other would decide
 * the Master, not the configuration.
 */
export async function startAll(ctx: ScenarioContext): Promise<number> {
  ctx.mark('start');
  const startOne = async (h: string) => {
    await ctx.faults.start(h);
    return ctx.mark(`running:${h}`);
  };
  if (ctx.routers.some((h) => !ctx.settings(h).preempt)) {
    const running: number[] = [];
    for (const h of byPriority(ctx)) running.push(await startOne(h));
    return Math.max(...running);
  }
  return Math.max(...(await Promise.all(ctx.routers.map(startOne))));
}

/**
 * The instant after which no router can still act on a timer started at `sinceMs` (its start, or a
 * priority-0 advert): every router's Master_Down_Interval has run out, plus one advert interval in which a
 * Backup whose timer fired at the same moment as the new Master's hears that Master and steps down (RFC 5798
 * §6.4.3: a Master receiving a higher priority goes Backup), plus the tolerance for a loaded CPU. A window
 * that starts before this instant is a transient of the event, not of the steady state.
 */
export function settledAfter(ctx: Pick<ScenarioContext, 'routers' | 'bounds' | 'toleranceMs'>, sinceMs: number) {
  const longestDownMs = Math.max(...ctx.routers.map((h) => ctx.bounds(h).masterDownMs));
  const longestIntervalMs = Math.max(...ctx.routers.map((h) => ctx.bounds(h).advertIntervalMs));
  return sinceMs + longestDownMs + longestIntervalMs + ctx.toleranceMs;
}

/**
 * Wait until `host` alone holds every VIP and the event at `sinceMs` can no longer cause a transient
 * (settledAfter); a steady window that starts here holds only what the steady state does.
 */
export async function waitSettled(ctx: ScenarioContext, host: string, sinceMs: number): Promise<number> {
  const until = settledAfter(ctx, sinceMs);
  const timeoutMs = until - monotonicMs() + generousMs(ctx, host);
  await ctx.waitFor(() => monotonicMs() >= until && ctx.vips.every((v) => ctx.holders(v).join() === host), {
    timeoutMs,
    description: `${host} alone holding ${ctx.vips.join(', ')} after every router's timers ran out`,
  });
  return monotonicMs();
}

/**
 * Stop the Master gracefully and wait until the next priority alone holds the VIPs and the other Backups'
 * timers, restarted by the priority-0 advert, can no longer fire (waitSettled). Returns that instant.
 */
export async function stopMasterAndSettle(ctx: ScenarioContext): Promise<number> {
  const next = nth(ctx, 1);
  await ctx.faults.stop(nth(ctx, 0));
  const stopped = monotonicMs();
  for (const vip of ctx.vips) await ctx.waitForHolder(vip, next, { timeoutMs: generousMs(ctx, next) });
  return waitSettled(ctx, next, stopped);
}

/**
 * Step: start everything and wait until the highest-priority router alone holds the VIP; marks 'converged'
 * only once every router has had its Master_Down_Interval since its own start (settledAfter), so a
 * simultaneous-start race (two Backups timing out within one advert, docs/quirks.md Q8) falls before it.
 */
export function startAndConverge(name = 'start all'): ScenarioStep {
  return {
    name,
    run: async (ctx) => {
      const lastRunning = await startAll(ctx);
      const top = nth(ctx, 0);
      for (const vip of ctx.vips) await ctx.waitForHolder(vip, top, { timeoutMs: generousMs(ctx, top) });
      ctx.mark('first holder');
      ctx.mark('converged', await waitSettled(ctx, top, lastRunning));
    },
  };
}

/** Step: observe for a fixed window (the steady window a scenario asserts over; not a convergence wait). */
export function observe(ms: number, name = `observe ${ms / 1000} s`): ScenarioStep {
  return { name, run: (ctx) => ctx.observe(ms) };
}

/** The three-hosts topology at VRRPv3 0.2 s: fast and RFC-timed (sub-second adverts need v3, docs/quirks.md Q7). */
export const FAST_THREE_HOSTS = {
  file: 'three-hosts.yaml',
  overrides: { vrrp: { version: 3 as const, advertIntervalS: 0.2 } },
};

/** Startup race at sub-second intervals: Master_Down_Intervals differ by ~40 ms at 0.2 s (docs/quirks.md Q8). */
export const STARTUP_RACE = {
  kind: 'multi' as const,
  maxAdverts: 1,
  during: 'start all',
  reason: 'startup race: two backups time out within one advert (docs/quirks.md Q8)',
};
