import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeName } from '../../../harness/backends/netns/names.js';
import type { Lab } from '../../../harness/lab/index.js';
import { Capture } from '../../../harness/observers/capture.js';
import { packetEvents } from '../../../harness/observers/packet-events.js';
import { startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * `use_vmac_addr`: a VIP on another interface than the instance's (`dev eth1`) lives on a VMAC of its own —
 * a macvlan on eth1 with MAC 00:00:5e:00:01:VRID — and its gratuitous ARP leaves from that MAC. The VIP on
 * the instance's interface stays where it is (no use_vmac). The VMAC goes away when the daemon stops.
 * The address option `use_vmac` does the same for one address, on the instance's interface too, and
 * `vmac_addr_prefix` names such VMACs. The same files under keepalived 2.2.7 and vrrpd; what `ip -d link`,
 * `ip addr` and a capture of sw2 show.
 */
const VIP = '10.99.0.235';
const VIP_ETH1 = '10.98.0.235';
const VRID = 98;
/** The instance both files share; `globals` goes first, `extra` after garp_master_delay. */
const instanceConf = (o: { globals?: string; extra?: string; vips: string[] }) => `
${o.globals ?? ''}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id ${VRID}
  priority 100
  version 3
  advert_int 0.2
  garp_master_repeat 1
  garp_master_delay 0
  ${o.extra ?? ''}
  virtual_ipaddress {
${o.vips.map((v) => `    ${v}`).join('\n')}
  }
}
`;
const conf = instanceConf({ extra: 'use_vmac_addr', vips: [`${VIP}/24`, `${VIP_ETH1}/24 dev eth1`] });

/** No use_vmac_addr: the address option on an eth0 VIP, and a prefix; the eth1 VIP stays on eth1. */
const VIP_OPT = '10.99.0.233';
const confOption = instanceConf({
  globals: 'global_defs {\n  vmac_addr_prefix vx\n}',
  vips: [`${VIP_OPT}/24 use_vmac`, `${VIP_ETH1}/24 dev eth1`],
});

interface IpLink {
  ifname: string;
  address: string;
  link?: string;
  linkinfo?: { info_kind: string; info_data?: { mode?: string } };
}
interface IpAddr {
  ifname: string;
  addr_info: { local: string }[];
}

async function observe(lab: Lab, impl: 'keepalived' | 'vrrpd', text: string, vip: string) {
  const r1 = lab.host('r1');
  const ip = async <T>(args: string[]) => JSON.parse((await r1.exec('ip', ['-j', ...args])).stdout) as T;
  const cap = await Capture.start({
    netns: lab.switchNetns,
    iface: bridgeName(lab.runId, 1),
    file: join(lab.dir, `vmac-addr-${impl}-${vip}.pcap`),
    runId: lab.runId,
    filter: ['arp'],
  });
  const d = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', text) : await startKeepalived(lab, 'r1', text);
  let master: Record<string, unknown>;
  try {
    await until(`${impl} holds ${VIP_ETH1}`, () => r1.hasLocalAddress(VIP_ETH1), 20_000);
    await until(`${impl}: a GARP for ${VIP_ETH1}`, async () => {
      await cap.flush();
      return packetEvents(await cap.read()).some((e) => e.kind === 'garp' && e.ip === VIP_ETH1);
    });
    const macvlans = (await ip<IpLink[]>(['-d', 'link', 'show'])).filter((l) => l.linkinfo?.info_kind === 'macvlan');
    const holder = (a: string) =>
      (async () =>
        (await ip<IpAddr[]>(['addr', 'show'])).find((i) => i.addr_info.some((x) => x.local === a))?.ifname)();
    const garp = packetEvents(await cap.read()).find((e) => e.kind === 'garp' && e.ip === VIP_ETH1);
    master = {
      macvlans: macvlans.map((l) => ({
        name: l.ifname,
        mac: l.address,
        parent: l.link,
        mode: l.linkinfo?.info_data?.mode,
      })),
      vipOn: await holder(vip),
      vipEth1On: await holder(VIP_ETH1),
      garpFrom: garp?.kind === 'garp' ? garp.sha : undefined,
    };
  } finally {
    await stop(d);
    await cap.stop();
  }
  const left = (await ip<IpLink[]>(['-d', 'link', 'show'])).filter((l) => l.linkinfo?.info_kind === 'macvlan');
  return { master, macvlansAfterStop: left.map((l) => l.ifname) };
}

describe.skipIf(!vrrpdBuilt)('use_vmac_addr', () => {
  const r = underBoth(
    'kw-vmacaddr',
    ['r1'],
    async (lab, impl) => ({
      useVmacAddr: await observe(lab, impl, conf, VIP),
      addressOption: await observe(lab, impl, confOption, VIP_OPT),
    }),
    true,
  );

  it('keepalived 2.2.7 (the reference): a VMAC on eth1 carries that VIP and sends its GARP; gone after stop', () => {
    expect(r.keepalived().useVmacAddr).toEqual({
      master: {
        macvlans: [{ name: `vrrp.${VRID}`, mac: '00:00:5e:00:01:62', parent: 'eth1', mode: 'private' }],
        vipOn: 'eth0',
        vipEth1On: `vrrp.${VRID}`,
        garpFrom: '00:00:5e:00:01:62',
      },
      macvlansAfterStop: [],
    });
  });

  it('keepalived 2.2.7 (the reference): the use_vmac address option, named from vmac_addr_prefix', () => {
    const k = r.keepalived().addressOption;
    expect(k.master).toMatchObject({
      macvlans: [{ name: `vx.${VRID}`, mac: '00:00:5e:00:01:62', parent: 'eth0', mode: 'private' }],
      vipOn: `vx.${VRID}`,
      vipEth1On: 'eth1',
    });
    expect(k.macvlansAfterStop).toEqual([]);
  });

  it('vrrpd: the same', () => {
    expect(r.vrrpd()).toEqual(r.keepalived());
  });
});
