/**
 * Property-test case count: VRRP_FUZZ_RUNS from the environment (so a benchmark or a soak run can ask for 100000),
 * 2000 by default.
 */
export function fuzzRuns(defaultRuns = 2000): number {
  const raw = process.env.VRRP_FUZZ_RUNS;
  if (raw === undefined || raw === '') return defaultRuns;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`VRRP_FUZZ_RUNS must be a positive integer, got ${raw}`);
  return runs;
}

/** Per-test timeout that grows with the run count (vitest's 5 s default is too short for a 100000-case run). */
export function fuzzTimeoutMs(runs = fuzzRuns()): number {
  return 10_000 + runs * 5;
}
