import { describe, expect, it } from 'vitest';
import type { AdvertEvent } from '../../../harness/observers/packet-events.js';
import { labPerTest, vrrpdBuilt } from './wire-lab.js';

/**
 * RFC 5798 §5.2.9: the first address of an IPv6 advert is the link-local one. vrrpd puts it first whatever the
 * configured order; a keepalived Backup with the same configuration (which compares the addresses as a set)
 * still follows it.
 */

const buildLab = labPerTest();

const conf = (priority: number) => `vrrp_instance VI_6 {
  interface eth0
  virtual_router_id 61
  priority ${priority}
  advert_int 0.2
  virtual_ipaddress {
    fd00:77::254/64
    fe80::254/64
  }
}
`;

describe.skipIf(!vrrpdBuilt)('IPv6 adverts put the link-local VIP first', () => {
  it('configured global-first, sent link-local-first; keepalived Backup follows', async () => {
    const lab = await buildLab({
      switches: ['sw'],
      hosts: {
        r1: { links: [{ switch: 'sw', addresses: ['fd00:77::11/64'] }] },
        r2: { links: [{ switch: 'sw', addresses: ['fd00:77::12/64'] }] },
      },
    });
    const cap = await lab.capture('sw');
    await lab.start('r1', 'vrrpd', conf(150));
    await lab.waitState('r1', 'VI_6', 'MASTER');
    await lab.start('r2', 'keepalived', conf(100));
    await lab.waitState('r2', 'VI_6', 'BACKUP');
    await lab.holdHolders('fd00:77::254', ['r1'], 2_000);
    const adverts = (await lab.events(cap)).filter((e): e is AdvertEvent => e.kind === 'advert');
    const fromVrrpd = adverts.filter((a) => a.priority === 150);
    expect(fromVrrpd.length).toBeGreaterThanOrEqual(8);
    for (const a of fromVrrpd) {
      expect(a.addresses).toEqual(['fe80::254', 'fd00:77::254']);
      expect(a.valid).toBe(true);
    }
    expect(await lab.stateOf('r2', 'VI_6')).toBe('BACKUP');
  });
});
