/** Monotonic time in microseconds. Timer arithmetic in the daemon is integer µs to avoid rounding drift. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
