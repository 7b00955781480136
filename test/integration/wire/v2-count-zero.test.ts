import { describe, expect, it } from 'vitest';
import type { AdvertEvent } from '../../../harness/observers/packet-events.js';
import { type Impl, labPerTest, vrrpdBuilt, type WireLab } from './wire-lab.js';

/**
 * VRRPv2 without VIPs (issue 9, wire defects): keepalived sends Count 0 and accepts it (erratum 8299 is a v3
 * rule), so two such nodes elect one Master. Observed on the wire: after convergence only the Master advertises.
 */

const buildLab = labPerTest();

const conf = (priority: number) => `vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority ${priority}
  version 2
  advert_int 1
}
`;

async function advertisers(l: WireLab, r1: Impl, r2: Impl): Promise<AdvertEvent[]> {
  await l.start('r1', r1, conf(150));
  await l.start('r2', r2, conf(100));
  await l.waitState('r1', 'VI_1', 'MASTER');
  await l.waitState('r2', 'VI_1', 'BACKUP');
  // 4 s > Master_Down_Interval (3 s + skew): a Backup that drops Count 0 adverts would become Master in it.
  const cap = await l.capture('sw');
  const until = performance.now() + 4_000;
  while (performance.now() < until) {
    expect(await l.stateOf('r2', 'VI_1')).toBe('BACKUP');
    await new Promise((r) => setTimeout(r, 200));
  }
  const adverts = (await l.events(cap)).filter((e): e is AdvertEvent => e.kind === 'advert');
  await l.stop('r1');
  await l.stop('r2');
  return adverts;
}

describe.skipIf(!vrrpdBuilt)('VRRPv2 with Count 0', () => {
  it('two vrrpd nodes without VIPs elect one Master; keepalived interoperates', async () => {
    const lab = await buildLab({
      switches: ['sw'],
      hosts: {
        r1: { links: [{ switch: 'sw', addresses: ['10.77.0.11/24'] }] },
        r2: { links: [{ switch: 'sw', addresses: ['10.77.0.12/24'] }] },
      },
    });
    for (const [a, b] of [
      ['vrrpd', 'vrrpd'],
      ['keepalived', 'vrrpd'],
      ['vrrpd', 'keepalived'],
    ] as const) {
      const adverts = await advertisers(lab, a, b);
      expect(new Set(adverts.map((x) => x.src))).toEqual(new Set(['10.77.0.11']));
      expect(adverts.every((x) => x.addresses.length === 0 && x.valid && x.version === 2)).toBe(true);
      expect(adverts.length).toBeGreaterThanOrEqual(3);
    }
  });
});
