import { TimeoutError } from '../../src/util/errors.js';

export interface WaitForOptions<T> {
  timeoutMs: number;
  /** Pause between probes (default 20 ms). */
  intervalMs?: number;
  /** What we wait for, for the TimeoutError ("r1 to hold 10.99.0.254"). */
  description: string;
  /** Whether a probed value means "done"; default: truthy. */
  until?: (value: T) => boolean;
}

/**
 * Probe until the condition holds or the time budget runs out; returns the last value. Probes that
 * throw count as "not yet" (the error is kept as the last observation). Never a fixed sleep: the
 * interval is only the polling period, the result arrives as soon as the condition holds.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, opts: WaitForOptions<T>): Promise<T> {
  const interval = opts.intervalMs ?? 20;
  const done = opts.until ?? ((v: T) => Boolean(v));
  const deadline = performance.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (done(v)) return v;
      last = v;
    } catch (err) {
      last = err instanceof Error ? `${err.name}: ${err.message}` : err;
    }
    const left = deadline - performance.now();
    if (left <= 0) throw new TimeoutError(opts.description, opts.timeoutMs, last);
    await new Promise((r) => setTimeout(r, Math.min(interval, left)));
  }
}
