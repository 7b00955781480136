import { type Shard, shardMatrix } from '../scenario/shard.js';
import type { CaseVariant } from './types.js';

/**
 * `conform --shard I/N`: the I-th of N disjoint parts of implementation × case variant, split by the same
 * deterministic splitter as `drill --shard`, so N CI runners together run the whole catalogue once.
 * Returns, per implementation (in the given order), the variants of this shard.
 */
export function shardConformance(
  impls: readonly string[],
  variants: readonly CaseVariant[],
  shard: Shard,
): Map<string, CaseVariant[]> {
  const cells = impls.flatMap((impl) => variants.map((v) => ({ scenario: v.id, impl, v })));
  const mine = shardMatrix(cells, shard);
  return new Map(impls.map((impl) => [impl, mine.filter((c) => c.impl === impl).map((c) => c.v)]));
}
