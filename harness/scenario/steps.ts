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
 * Start the implementation on every router at once. Marks 'start' (just before the first start command)
 * and 'running:<host>' when that host's start() resolved (the process runs), so a convergence bound can
 * add the measured process start-up time instead of guessing it.
 */
export async function startAll(ctx: ScenarioContext): Promise<void> {
  ctx.mark('start');
  await Promise.all(
    ctx.routers.map(async (h) => {
      await ctx.faults.start(h);
      ctx.mark(`running:${h}`);
    }),
  );
}

/** Step: start everything and wait until the highest-priority router alone holds the VIP; marks 'converged'. */
export function startAndConverge(name = 'start all'): ScenarioStep {
  return {
    name,
    run: async (ctx) => {
      await startAll(ctx);
      const top = nth(ctx, 0);
      for (const vip of ctx.vips) await ctx.waitForHolder(vip, top, { timeoutMs: generousMs(ctx, top) });
      ctx.mark('converged');
    },
  };
}

/** Step: observe for a fixed window (the steady window a scenario asserts over; not a convergence wait). */
export function observe(ms: number, name = `observe ${ms / 1000} s`): ScenarioStep {
  return { name, run: (ctx) => ctx.observe(ms) };
}

/** The three-hosts topology at VRRPv3 0.2 s: fast and RFC-timed (sub-second adverts need v3, lab-notes gotcha 7). */
export const FAST_THREE_HOSTS = {
  file: 'three-hosts.yaml',
  overrides: { vrrp: { version: 3 as const, advertIntervalS: 0.2 } },
};

/** Startup race at sub-second intervals: Master_Down_Intervals differ by ~40 ms at 0.2 s (lab-notes gotcha 8). */
export const STARTUP_RACE = {
  kind: 'multi' as const,
  maxAdverts: 1,
  during: 'start all',
  reason: 'startup race: two backups time out within one advert (lab-notes gotcha 8)',
};
