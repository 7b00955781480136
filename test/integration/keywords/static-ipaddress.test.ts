import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../harness/lab/index.js';
import { startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * `static_ipaddress`: the addresses are on their interfaces while the daemon runs, whatever the instances do;
 * one deleted from outside comes back unless `no_track`; none is left after a stop. The same file under
 * keepalived 2.2.7 and vrrpd, read with `ip -j addr`.
 */
const conf = `
static_ipaddress {
  10.99.0.201/24 dev eth0
  10.98.0.201/24 dev eth1 label eth1:st
  10.99.0.202/24 dev eth0 no_track
}
vrrp_instance VI_1 {
  interface eth0
  state BACKUP
  virtual_router_id 99
  priority 100
  version 3
  advert_int 1
  virtual_ipaddress {
    10.99.0.234/24
  }
}
`;
const STATIC = ['10.99.0.201', '10.98.0.201', '10.99.0.202'];

interface IpAddr {
  ifname: string;
  addr_info: { local: string; prefixlen: number; scope: string }[];
}

async function observe(lab: Lab, impl: 'keepalived' | 'vrrpd') {
  const r1 = lab.host('r1');
  const statics = async () =>
    (JSON.parse((await r1.exec('ip', ['-j', 'addr', 'show'])).stdout) as IpAddr[])
      .flatMap((i) => i.addr_info.map((a) => ({ dev: i.ifname, ...a })))
      .filter((a) => STATIC.includes(a.local))
      .map((a) => `${a.dev} ${a.local}/${a.prefixlen} ${a.scope}`)
      .sort();
  const d = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', conf) : await startKeepalived(lab, 'r1', conf);
  let running: string[];
  let afterDelete: string[];
  try {
    await until(`${impl}: static addresses added`, async () => (await statics()).length === STATIC.length);
    running = await statics();
    await r1.exec('ip', ['addr', 'del', '10.99.0.201/24', 'dev', 'eth0']);
    await r1.exec('ip', ['addr', 'del', '10.99.0.202/24', 'dev', 'eth0']);
    await until(`${impl}: 10.99.0.201 added again`, () => r1.hasLocalAddress('10.99.0.201'));
    afterDelete = await statics();
  } finally {
    await stop(d);
  }
  return { running, afterDelete, afterStop: await statics() };
}

describe.skipIf(!vrrpdBuilt)('static_ipaddress', () => {
  const r = underBoth('kw-static', ['r1'], observe, true);

  it('keepalived 2.2.7 (the reference): added at start, re-added unless no_track, removed at stop', () => {
    expect(r.keepalived()).toEqual({
      running: ['eth0 10.99.0.201/24 global', 'eth0 10.99.0.202/24 global', 'eth1 10.98.0.201/24 global'],
      afterDelete: ['eth0 10.99.0.201/24 global', 'eth1 10.98.0.201/24 global'],
      afterStop: [],
    });
  });

  it('vrrpd: the same', () => {
    expect(r.vrrpd()).toEqual(r.keepalived());
  });
});
