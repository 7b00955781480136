import { describe, expect, it } from 'vitest';
import { type FuzzTarget, fuzzCase } from '../../../harness/fuzz/generate.js';
import { rawVrrpSocketDrops } from '../../../harness/fuzz/inject.js';
import { seededRandom } from '../../../harness/fuzz/random.js';
import { decodeEthernetFrame } from '../../../src/protocol/index.js';

const target: FuzzTarget = {
  vrid: 51,
  masterPriority: 200,
  vips: ['10.95.0.254'],
  routerIp: '10.95.0.11',
  routerMac: '02:00:00:00:00:11',
  testerIp: '10.95.0.50',
  testerMac: '02:00:00:00:00:50',
  testerLinkLocal: 'fe80::50',
  spoofSources: ['10.95.0.99'],
};

describe('fuzz generator', () => {
  const cases = (seed: number, n: number) => {
    const r = seededRandom(seed);
    return Array.from({ length: n }, () => fuzzCase(r, target));
  };

  it('is reproducible by seed', () => {
    expect(cases(7, 200).map((c) => c.frame.toString('hex'))).toEqual(
      cases(7, 200).map((c) => c.frame.toString('hex')),
    );
    expect(cases(8, 50).map((c) => c.frame.toString('hex'))).not.toEqual(
      cases(7, 50).map((c) => c.frame.toString('hex')),
    );
  });

  it('covers every kind and mutation, and never lets a target-VRID advert outrank the Master', () => {
    const all = cases(1, 5000);
    expect(new Set(all.map((c) => c.kind))).toEqual(new Set(['valid', 'mutated', 'carp', 'ipv6', 'random']));
    const mutations = new Set(all.flatMap((c) => c.mutations));
    for (const m of ['version', 'type', 'vrid', 'priority', 'count', 'rsvd', 'interval', 'truncate', 'extend'])
      expect(mutations).toContain(m);
    for (const m of ['checksum-random', 'checksum-rfc9568', 'checksum-v2-form', 'addresses-ipv6', 'ttl', 'unicast'])
      expect(mutations).toContain(m);
    for (const c of all) {
      const ev = decodeEthernetFrame(c.frame);
      if (ev.kind !== 'vrrp' || !ev.decoded) continue;
      const a = ev.decoded.advert;
      if (a.vrid === target.vrid) expect(a.priority).toBeLessThan(target.masterPriority);
    }
  });

  it('marks valid cases that the codec accepts without a wire error', () => {
    const valid = cases(3, 5000).filter((c) => c.kind === 'valid');
    expect(valid.length).toBeGreaterThan(300);
    for (const c of valid) {
      const ev = decodeEthernetFrame(c.frame);
      expect(ev.kind === 'vrrp' && ev.decoded?.errors).toEqual([]);
    }
  });
});

describe('raw socket drops from /proc/net/raw', () => {
  it('sums the drops column of protocol-112 sockets only', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
      '  112: 0B5F000A:0070 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 17',
      '    1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 5',
      '  112: 00000000:0070 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 3',
    ].join('\n');
    expect(rawVrrpSocketDrops(text)).toBe(20);
  });
});
