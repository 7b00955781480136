import { describe, expect, it } from 'vitest';
import type { AdvertEvent } from '../../../harness/observers/packet-events.js';
import { type Impl, labPerTest, vrrpdBuilt, type WireLab } from './wire-lab.js';

/**
 * `vrrp_mcast_group4/6` and `mcast_dst_ip` (issue 9, wire defects): adverts go to the configured group and
 * the socket joins it, so the peers hear each other and exactly one is Master. The same keepalived.conf runs
 * under keepalived 2.2.7 (both nodes), under vrrpd (both nodes) and mixed; the VIP holders and the captured
 * advert destinations must be the same.
 */

const buildLab = labPerTest();

interface Case {
  name: string;
  global: string;
  instanceExtra: string;
  vip: string;
  group: string;
}

const CASES: Case[] = [
  {
    name: 'vrrp_mcast_group4',
    global: 'vrrp_mcast_group4 224.0.0.50',
    instanceExtra: '',
    vip: '10.77.0.254',
    group: '224.0.0.50',
  },
  {
    name: 'mcast_dst_ip',
    global: '',
    instanceExtra: 'mcast_dst_ip 224.0.0.51',
    vip: '10.77.0.254',
    group: '224.0.0.51',
  },
  {
    name: 'vrrp_mcast_group6',
    global: 'vrrp_mcast_group6 ff02::4242',
    instanceExtra: '',
    vip: 'fd00:77::254',
    group: 'ff02::4242',
  },
];

function conf(c: Case, priority: number): string {
  const prefix = c.vip.includes(':') ? 64 : 24;
  return `global_defs {
  ${c.global}
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority ${priority}
  version 3
  advert_int 0.2
  ${c.instanceExtra}
  virtual_ipaddress {
    ${c.vip}/${prefix}
  }
}
`;
}

/** Runs r1 (150) and r2 (100) under the given implementations; returns the holders and the adverts' destinations. */
async function observe(l: WireLab, c: Case, r1: Impl, r2: Impl) {
  await l.start('r1', r1, conf(c, 150));
  await l.start('r2', r2, conf(c, 100));
  await l.holdHolders(c.vip, ['r1'], 300);
  // Converged: record a window longer than 3 Master_Down_Intervals (3 × ~0.8 s) with exactly one holder.
  const cap = await l.capture('sw');
  await l.holdHolders(c.vip, ['r1'], 2_500);
  const adverts = (await l.events(cap)).filter((e): e is AdvertEvent => e.kind === 'advert');
  await l.stop('r1');
  await l.stop('r2');
  return {
    holders: ['r1'],
    destinations: [...new Set(adverts.map((a) => a.dst))],
    senders: [...new Set(adverts.map((a) => a.srcMac))].length,
    count: adverts.length,
    // keepalived puts the configured IPv6 VIPs first, not a link-local one: tolerated by both (see advert-dispatch).
    allValid: adverts.every((a) => a.errors.every((e) => e === 'ipv6-first-not-link-local')),
  };
}

describe.skipIf(!vrrpdBuilt)('custom multicast groups are joined (vrrpd = keepalived)', () => {
  for (const c of CASES) {
    it(`${c.name}: one Master under vrrpd, keepalived and both mixed, adverts only to ${c.group}`, async () => {
      const lab = await buildLab({
        switches: ['sw'],
        hosts: {
          r1: { links: [{ switch: 'sw', addresses: ['10.77.0.11/24', 'fd00:77::11/64'] }] },
          r2: { links: [{ switch: 'sw', addresses: ['10.77.0.12/24', 'fd00:77::12/64'] }] },
        },
      });
      const ka = await observe(lab, c, 'keepalived', 'keepalived');
      const vd = await observe(lab, c, 'vrrpd', 'vrrpd');
      // keepalived Master, vrrpd Backup: vrrpd must hear keepalived on the group (else it would take the VIP).
      const mixed = await observe(lab, c, 'keepalived', 'vrrpd');
      const reverse = await observe(lab, c, 'vrrpd', 'keepalived');
      for (const r of [ka, vd, mixed, reverse]) {
        expect(r.destinations).toEqual([c.group]);
        expect(r.senders).toBe(1);
        expect(r.allValid).toBe(true);
        // ~5 adverts/s over 2.5 s from the one Master.
        expect(r.count).toBeGreaterThanOrEqual(8);
      }
      expect(vd).toMatchObject({ holders: ka.holders, destinations: ka.destinations });
    });
  }
});
