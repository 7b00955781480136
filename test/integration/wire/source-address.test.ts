import { describe, expect, it } from 'vitest';
import type { AdvertEvent } from '../../../harness/observers/packet-events.js';
import { type Impl, labPerTest, vrrpdBuilt, type WireLab } from './wire-lab.js';

/**
 * Per-instance source address (issue 9, wire defects): instances sharing one interface each send from their own
 * `mcast_src_ip`, so the v3 checksum (pseudo-header) and the equal-priority tie-break match what peers see.
 * Equal priorities everywhere; the nodes start partitioned (both Master) and meet as Masters when the
 * partition heals, so the tie-break decides (RFC 5798 §6.4.3): VI_A (interface primary address) is won by r2
 * (10.77.0.12 > .11), VI_B (mcast_src_ip) by r1 (10.77.0.29 > .22). The same configuration runs under
 * keepalived, vrrpd and mixed.
 */

const buildLab = labPerTest();

const VIP_A = '10.77.0.254';
const VIP_B = '10.77.0.253';

const conf = (src: string) => `vrrp_instance VI_A {
  interface eth0
  virtual_router_id 51
  priority 100
  version 3
  advert_int 0.2
  virtual_ipaddress {
    ${VIP_A}/24
  }
}
vrrp_instance VI_B {
  interface eth0
  virtual_router_id 52
  priority 100
  version 3
  advert_int 0.2
  mcast_src_ip ${src}
  virtual_ipaddress {
    ${VIP_B}/24
  }
}
`;

async function observe(l: WireLab, r1: Impl, r2: Impl) {
  await l.partitionVrrp('sw', true);
  await l.start('r1', r1, conf('10.77.0.29'));
  await l.start('r2', r2, conf('10.77.0.22'));
  await l.holdHolders(VIP_A, ['r1', 'r2'], 0);
  await l.holdHolders(VIP_B, ['r1', 'r2'], 0);
  await l.partitionVrrp('sw', false);
  await l.holdHolders(VIP_A, ['r2'], 0);
  await l.holdHolders(VIP_B, ['r1'], 0);
  const cap = await l.capture('sw');
  await l.holdHolders(VIP_B, ['r1'], 2_500);
  const holdersA = await l.holders(VIP_A);
  const adverts = (await l.events(cap)).filter((e): e is AdvertEvent => e.kind === 'advert');
  await l.stop('r1');
  await l.stop('r2');
  const senders = [...new Set(adverts.map((a) => `${a.vrid} ${a.src}`))].sort();
  return { holdersA, senders, valid: adverts.every((a) => a.valid), count: adverts.length };
}

describe.skipIf(!vrrpdBuilt)('each instance sends from its own source address', () => {
  it('mcast_src_ip per instance: right source, valid v3 checksum, tie-break by it (= keepalived)', async () => {
    const lab = await buildLab({
      switches: ['sw'],
      hosts: {
        r1: { links: [{ switch: 'sw', addresses: ['10.77.0.11/24', '10.77.0.29/24'] }] },
        r2: { links: [{ switch: 'sw', addresses: ['10.77.0.12/24', '10.77.0.22/24'] }] },
      },
    });
    const ka = await observe(lab, 'keepalived', 'keepalived');
    const vd = await observe(lab, 'vrrpd', 'vrrpd');
    const mixed = await observe(lab, 'vrrpd', 'keepalived');
    expect(ka).toMatchObject({ holdersA: ['r2'], senders: ['51 10.77.0.12', '52 10.77.0.29'], valid: true });
    for (const r of [vd, mixed]) {
      expect(r).toMatchObject({ holdersA: ka.holdersA, senders: ka.senders, valid: true });
      expect(r.count).toBeGreaterThanOrEqual(16);
    }
  });
});
