import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../harness/lab/index.js';
import { startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * `promote_secondaries` in a vrrp_instance: the daemon sets net.ipv4.conf.IF.promote_secondaries while it runs,
 * so removing the primary address of a subnet does not take the VIPs of that subnet with it (the kernel's
 * rule), and puts the old value back on a clean stop. The same file under keepalived 2.2.7 and vrrpd: the
 * sysctl before, while running, and after.
 */
const VIP = '10.99.0.232';
const conf = `
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 92
  priority 100
  version 3
  advert_int 0.2
  promote_secondaries
  virtual_ipaddress {
    ${VIP}/24
  }
}
`;

interface Facts {
  before: string;
  running: string;
  after: string;
}

async function scenario(lab: Lab, impl: 'keepalived' | 'vrrpd'): Promise<Facts> {
  const h = lab.host('r1');
  const read = async () => (await h.exec('sysctl', ['-n', 'net.ipv4.conf.eth0.promote_secondaries'])).stdout.trim();
  const before = await read();
  const d = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', conf) : await startKeepalived(lab, 'r1', conf);
  try {
    await until(`${impl} holds the VIP`, () => h.hasLocalAddress(VIP), 20_000);
    const running = await read();
    await stop(d);
    await until(`${impl} released the VIP`, async () => !(await h.hasLocalAddress(VIP)));
    return { before, running, after: await read() };
  } finally {
    await stop(d);
  }
}

describe.skipIf(!vrrpdBuilt)('promote_secondaries', () => {
  const r = underBoth('kw-promote', ['r1'], scenario);

  it('keepalived 2.2.7 sets it while running (the reference)', () => {
    expect(r.keepalived()).toEqual({ before: '0', running: '1', after: '0' });
  });

  it('vrrpd: the same sysctl before, while running and after', () => {
    expect(r.vrrpd()).toEqual(r.keepalived());
  });
});
