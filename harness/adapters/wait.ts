import { setTimeout as delay } from 'node:timers/promises';
import { TimeoutError } from '../../src/util/errors.js';

export interface WaitOptions {
  /** What is being waited for, for the TimeoutError message. */
  description: string;
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Poll `probe` until it returns something other than `undefined`/`false`, and return that value.
 * Never a fixed sleep: the condition itself decides when we go on. A probe that throws counts as
 * "not yet" (the error becomes the last observed value), so half-written files can be re-read.
 */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  opts: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 20;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() >= deadline) throw new TimeoutError(opts.description, opts.timeoutMs, last);
    await delay(interval);
  }
}
