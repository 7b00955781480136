import { describe, expect, it } from 'vitest';
import { labPerTest, vrrpdBuilt } from './wire-lab.js';

/**
 * The same VRID twice on one interface (issue 9, wire defects): allowed when the groups differ or the unicast
 * peers are disjoint, and each advert must reach the instance it is meant for — by group, by peer — not the
 * first instance with that VRID. Otherwise the second instance never hears its Master and takes its VIP too.
 */

const buildLab = labPerTest();

const VIP_A = '10.77.0.254';
const VIP_B = '10.77.0.253';

function instance(name: string, priority: number, extra: string, vip: string): string {
  return `vrrp_instance ${name} {
  interface eth0
  virtual_router_id 51
  priority ${priority}
  version 3
  advert_int 0.2
  ${extra}
  virtual_ipaddress {
    ${vip}/24
  }
}
`;
}

const hosts = (n: number) =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `r${i + 1}`,
      { links: [{ switch: 'sw', addresses: [`10.77.0.1${i + 1}/24`] }] },
    ]),
  );

describe.skipIf(!vrrpdBuilt)('one VRID twice on an interface', () => {
  it('different groups: each instance follows its own Master', async () => {
    const lab = await buildLab({ switches: ['sw'], hosts: hosts(2) });
    // r1 is Master of A, r2 of B: the Backup side of each must hear the right Master on the right group.
    const cfg = (pa: number, pb: number) =>
      instance('VI_A', pa, 'mcast_dst_ip 224.0.0.50', VIP_A) + instance('VI_B', pb, 'mcast_dst_ip 224.0.0.51', VIP_B);
    await lab.start('r1', 'vrrpd', cfg(150, 100));
    await lab.start('r2', 'vrrpd', cfg(100, 150));
    await lab.holdHolders(VIP_A, ['r1'], 0);
    await lab.holdHolders(VIP_B, ['r2'], 0);
    // Longer than 3 Master_Down_Intervals (~0.8 s each): a deaf Backup would take its VIP in this window.
    await lab.holdHolders(VIP_A, ['r1'], 2_500);
    expect(await lab.holders(VIP_B)).toEqual(['r2']);
    expect(await lab.stateOf('r1', 'VI_B')).toBe('BACKUP');
    expect(await lab.stateOf('r2', 'VI_A')).toBe('BACKUP');
  });

  it('disjoint unicast peers: a Backup of two Masters hears each on its own instance', async () => {
    const lab = await buildLab({ switches: ['sw'], hosts: hosts(3) });
    const peer = (a: string) => `unicast_src_ip 10.77.0.11\n  unicast_peer {\n    ${a}\n  }`;
    await lab.start(
      'r1',
      'vrrpd',
      instance('VI_A', 100, peer('10.77.0.12'), VIP_A) + instance('VI_B', 100, peer('10.77.0.13'), VIP_B),
    );
    const back = (src: string) => `unicast_src_ip ${src}\n  unicast_peer {\n    10.77.0.11\n  }`;
    await lab.start('r2', 'vrrpd', instance('VI_A', 150, back('10.77.0.12'), VIP_A));
    await lab.start('r3', 'vrrpd', instance('VI_B', 150, back('10.77.0.13'), VIP_B));
    await lab.holdHolders(VIP_A, ['r2'], 0);
    await lab.holdHolders(VIP_B, ['r3'], 0);
    await lab.holdHolders(VIP_B, ['r3'], 2_500);
    expect(await lab.holders(VIP_A)).toEqual(['r2']);
    expect(await lab.stateOf('r1', 'VI_A')).toBe('BACKUP');
    expect(await lab.stateOf('r1', 'VI_B')).toBe('BACKUP');
  });
});
