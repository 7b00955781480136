import { describe, expect, it } from 'vitest';
import { AdvertCache } from '../../../src/runtime/advert-cache.js';

describe('AdvertCache', () => {
  it('encodes once per (priority, interval, destination) and re-encodes when one changes', () => {
    const calls: string[] = [];
    const cache = new AdvertCache((p, i, dst) => {
      calls.push(`${p}/${i}/${dst}`);
      return Buffer.from([p, i]);
    });
    const first = cache.get(100, 10, '224.0.0.18');
    expect(cache.get(100, 10, '224.0.0.18')).toBe(first);
    expect(cache.get(0, 10, '224.0.0.18')).toEqual(Buffer.from([0, 10]));
    cache.get(100, 10, '10.0.0.2');
    cache.get(100, 10, '10.0.0.2');
    expect(calls).toEqual(['100/10/224.0.0.18', '0/10/224.0.0.18', '100/10/10.0.0.2']);
  });
});
