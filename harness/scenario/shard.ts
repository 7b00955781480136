import { VrrpLabError } from '../../src/util/errors.js';

/**
 * Splitting a matrix (scenario × implementation × variant) across CI runners: `--shard I/N` runs the I-th
 * of N disjoint parts, and the N parts together are the whole matrix. Shared by `drill` and `conform`.
 *
 * The split is round-robin over the cases sorted by key: deterministic (any runner computes the same
 * parts from the same matrix, whatever order it listed the cases in) and balanced (part sizes differ by at
 * most one). A stable hash would keep a case on its runner when others are added, but leaves parts
 * uneven on a matrix of a few dozen cases, and the slowest runner sets the wall time.
 */

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

/** One cell of the matrix. `variant` distinguishes e.g. an IPv6 run of the same scenario. */
export interface MatrixCase {
  scenario: string;
  impl: string;
  variant?: string;
}

export function caseKey(c: MatrixCase): string {
  return `${c.scenario}\u0000${c.impl}\u0000${c.variant ?? ''}`;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total)
    throw new VrrpLabError(`--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/4), got "${text}"`);
  return { index, total };
}

export function formatShard(s: Shard): string {
  return `${s.index}/${s.total}`;
}

/** The cases of `shard`, in the caller's order. Throws on a case listed twice (it would run twice). */
export function shardCases<T>(cases: readonly T[], shard: Shard, key: (c: T) => string): T[] {
  const keys = cases.map(key);
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) throw new VrrpLabError(`shard: the matrix lists case ${k.replaceAll('\u0000', ' × ')} twice`);
    seen.add(k);
  }
  const sorted = [...keys].sort();
  const mine = new Set(sorted.filter((_, i) => i % shard.total === shard.index - 1));
  return cases.filter((_, i) => mine.has(keys[i]!));
}

/** `shardCases` over MatrixCase cells. */
export function shardMatrix<T extends MatrixCase>(cases: readonly T[], shard: Shard): T[] {
  return shardCases(cases, shard, caseKey);
}
