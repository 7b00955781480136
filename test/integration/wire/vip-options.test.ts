import { describe, expect, it } from 'vitest';
import { type AdvertEvent, type PacketEvent, packetEvent } from '../../../harness/observers/packet-events.js';
import { LINKTYPE_EN10MB } from '../../../harness/observers/pcap-file.js';
import { type AddrInfo, type Impl, labPerFile, vrrpdBuilt, vrrpInstance } from './wire-lab.js';

/**
 * VIP options and `virtual_ipaddress_excluded` (issue 9): one node becomes Master under keepalived 2.2.7 and then
 * under vrrpd with the same keepalived.conf; what the kernel holds (`ip -j addr`) must be the same, excluded
 * VIPs are installed but not advertised (each still gets its gratuitous ARP / NA), and all leave on stop.
 */

const lab = labPerFile({
  switches: ['sw', 'sw2'],
  hosts: {
    r1: {
      links: [
        { switch: 'sw', addresses: ['10.77.0.11/24', 'fd00:77::11/64'] },
        { switch: 'sw2', addresses: ['10.78.0.11/24'] },
      ],
    },
  },
});

const CONF = vrrpInstance({
  priority: 150,
  body: `  version 3
  advert_int 0.2
  virtual_ipaddress_excluded {
    10.77.5.1/24
    fd00:77::254
    fd00:77::250/64
    fd00:77::251/64 preferred_lft 0
  }`,
  vips: [
    // Another subnet: the kernel refuses a secondary address whose scope differs from its primary's.
    '10.77.3.254/24 brd + label eth0:vip scope link',
    '10.77.0.250/24 noprefixroute',
    '10.77.0.249',
    '10.78.0.254/24 dev eth1 brd -',
  ],
});

const OURS = [
  '10.77.3.254',
  '10.77.0.250',
  '10.77.0.249',
  '10.78.0.254',
  '10.77.5.1',
  'fd00:77::254',
  'fd00:77::250',
  'fd00:77::251',
];

const ANNOUNCED = ['10.77.3.254', '10.77.5.1', 'fd00:77::254', 'fd00:77::250'];

/** The address a gratuitous ARP or unsolicited NA announces. */
function announcedBy(e: PacketEvent | undefined): string | undefined {
  if (e?.kind === 'garp') return e.ip;
  if (e?.kind === 'na' && !e.solicited) return e.target;
  return undefined;
}

/** The fields that describe how an address was added (lifetimes reduced to forever / deprecated). */
function norm(a: AddrInfo & { deprecated?: boolean }) {
  return {
    local: a.local,
    prefixlen: a.prefixlen,
    scope: a.scope,
    label: a.label,
    broadcast: a.broadcast,
    noprefixroute: a.noprefixroute ?? false,
    nodad: a.nodad ?? false,
    deprecated: a.deprecated ?? false,
    preferredForever: a.preferred_life_time === 4294967295,
  };
}

async function kernelView(ifname: string) {
  return (await lab().addrs('r1', ifname))
    .filter((a) => OURS.includes(a.local))
    .map(norm)
    .sort((x, y) => x.local.localeCompare(y.local));
}

async function observe(impl: Impl) {
  const cap = await lab().capture('sw');
  await lab().start('r1', impl, CONF);
  await lab().waitState('r1', 'VI_1', 'MASTER');
  await lab().holdHolders('fd00:77::251', ['r1'], 0);
  const eth0 = await kernelView('eth0');
  const eth1 = await kernelView('eth1');
  // Each address's gratuitous ARP / NA follows the takeover; wait until each is on the wire (or give up).
  for (const a of ANNOUNCED) {
    await cap.waitForRecord((r) => announcedBy(packetEvent(LINKTYPE_EN10MB, r)) === a, 5_000).catch(() => undefined);
  }
  await lab().stop('r1');
  const events: PacketEvent[] = await lab().events(cap);
  const adverts = events.filter((e): e is AdvertEvent => e.kind === 'advert');
  const announced = new Set(events.map(announcedBy));
  return {
    eth0,
    eth1,
    advertised: [...new Set(adverts.map((a) => a.addresses.join(',')))],
    announced: ANNOUNCED.filter((a) => announced.has(a)),
    leftover: [...(await kernelView('eth0')), ...(await kernelView('eth1'))].map((a) => a.local),
  };
}

describe.skipIf(!vrrpdBuilt)('VIP options and excluded VIPs in the kernel (vrrpd = keepalived)', () => {
  it('same addresses with the same attributes; eVIPs not advertised but announced; all removed on stop', async () => {
    const ka = await observe('keepalived');
    const vd = await observe('vrrpd');
    expect(vd.eth0).toEqual(ka.eth0);
    expect(vd.eth1).toEqual(ka.eth1);
    expect(vd.advertised).toEqual(ka.advertised);
    expect(vd.advertised).toEqual(['10.77.3.254,10.77.0.250,10.77.0.249,10.78.0.254']);
    expect(vd.announced).toEqual(ka.announced);
    expect(vd.announced).toEqual(['10.77.3.254', '10.77.5.1', 'fd00:77::254', 'fd00:77::250']);
    expect(vd.leftover).toEqual([]);
    expect(ka.leftover).toEqual([]);
    // Spot checks of what keepalived 2.2.7 does, so a change on both sides does not pass unnoticed.
    const byAddr = Object.fromEntries(vd.eth0.map((a) => [a.local, a]));
    expect(byAddr['10.77.3.254']).toMatchObject({ label: 'eth0:vip', broadcast: '10.77.3.255', scope: 'link' });
    expect(byAddr['10.77.0.250']).toMatchObject({ noprefixroute: true });
    expect(byAddr['fd00:77::254']).toMatchObject({ prefixlen: 128, nodad: true, deprecated: true });
    expect(byAddr['fd00:77::250']).toMatchObject({ nodad: true, deprecated: false, preferredForever: true });
    expect(byAddr['fd00:77::251']).toMatchObject({ deprecated: true });
    expect(vd.eth1).toEqual([expect.objectContaining({ local: '10.78.0.254', broadcast: '10.78.0.0' })]);
  });
});
