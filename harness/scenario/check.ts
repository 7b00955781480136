/**
 * What every assertion returns: never throws, so one scenario reports all of its problems at once and the
 * measurements survive a failure (a failover that took 4.1 s is worth reporting even when the bound is 3.7 s).
 */
export type Measurements = Record<string, number | string>;

export interface CheckResult {
  ok: boolean;
  failures: string[];
  measurements: Measurements;
}

export function check(failures: string[], measurements: Measurements = {}): CheckResult {
  return { ok: failures.length === 0, failures, measurements };
}

/** Several checks as one: failures concatenated, measurements merged (later keys win). */
export function combine(...results: CheckResult[]): CheckResult {
  return check(
    results.flatMap((r) => r.failures),
    Object.assign({}, ...results.map((r) => r.measurements)),
  );
}

/** Milliseconds rounded for reports (µs precision is noise at this level: the sampler runs at ≥100 Hz). */
export function ms(v: number): number {
  return Math.round(v * 10) / 10;
}
