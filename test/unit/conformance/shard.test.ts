import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../harness/conformance/catalogue.js';
import { shardConformance } from '../../../harness/conformance/shard.js';

describe('conform --shard', () => {
  const impls = ['vrrpd', 'keepalived', 'frr'];

  it.each([1, 2, 3, 5])('%i shards reunite the whole catalogue × implementations, each cell once', (total) => {
    const seen: string[] = [];
    for (let index = 1; index <= total; index++) {
      for (const [impl, vs] of shardConformance(impls, CATALOGUE, { index, total })) {
        for (const v of vs) seen.push(`${impl} ${v.id}`);
      }
    }
    const whole = impls.flatMap((impl) => CATALOGUE.map((v) => `${impl} ${v.id}`));
    expect(seen.length).toBe(whole.length);
    expect(new Set(seen)).toEqual(new Set(whole));
  });

  it('gives the same parts whatever order the implementations are listed in', () => {
    const a = shardConformance(impls, CATALOGUE, { index: 2, total: 3 });
    const b = shardConformance([...impls].reverse(), CATALOGUE, { index: 2, total: 3 });
    for (const impl of impls) expect(b.get(impl)?.map((v) => v.id)).toEqual(a.get(impl)?.map((v) => v.id));
  });
});
