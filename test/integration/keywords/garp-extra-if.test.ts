import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeName } from '../../../harness/backends/netns/names.js';
import type { Lab } from '../../../harness/lab/index.js';
import { Capture } from '../../../harness/observers/capture.js';
import { packetEvents } from '../../../harness/observers/packet-events.js';
import { startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * A VIP on another interface (`dev eth1`) is announced there, from eth1's MAC, when the instance becomes
 * Master; with `garp_extra_if all 1` it is announced again every second while Master. Without `all`
 * keepalived sends the periodic ones only on VMACs, so `garp_extra_if 1` sends nothing more here. r1 runs
 * the instance on eth0 (switch sw) with a second VIP on eth1 (switch sw2); the GARPs for it are read off a
 * capture of sw2. The same files under keepalived 2.2.7 and vrrpd.
 */
const VIP = '10.99.0.237';
const VIP_ETH1 = '10.98.0.237';
const conf = (extra: string) => `
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 97
  priority 100
  version 3
  advert_int 0.2
  garp_master_repeat 1
  garp_master_delay 0
  ${extra}
  virtual_ipaddress {
    ${VIP}/24
    ${VIP_ETH1}/24 dev eth1
  }
}
`;

interface Facts {
  /** GARPs for the eth1 VIP on sw2 within 300 ms of the first one (the Master's announcement). */
  atTakeover: number;
  /** GARPs for it between 0.5 s and 4.5 s after that. */
  periodic: number;
  /** Their sender MAC is r1's eth1. */
  fromEth1Mac: boolean;
}

async function scenario(lab: Lab, impl: 'keepalived' | 'vrrpd', extra: string): Promise<Facts> {
  const r1 = lab.host('r1');
  const cap = await Capture.start({
    netns: lab.switchNetns,
    iface: bridgeName(lab.runId, 1),
    file: join(lab.dir, `extra-${impl}-${extra.replace(/\W+/g, '') || 'none'}.pcap`),
    runId: lab.runId,
    filter: ['arp'],
  });
  const garps = async () => {
    await cap.flush();
    return packetEvents(await cap.read()).filter((e) => e.kind === 'garp' && e.ip === VIP_ETH1);
  };
  const d = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', conf(extra)) : await startKeepalived(lab, 'r1', conf(extra));
  try {
    await until(`${impl} holds ${VIP}`, () => r1.hasLocalAddress(VIP), 20_000);
    await until(`${impl}: a GARP for ${VIP_ETH1} on sw2`, async () => (await garps()).length > 0);
    const first = (await garps())[0]!.wallMs;
    // The window is the measurement: periodic GARPs are counted over 4 s of mastership.
    await until(`${impl}: 4.5 s of mastership`, async () => Date.now() > first + 4500, 10_000);
    const g = await garps();
    const eth1Mac = (await r1.exec('cat', ['/sys/class/net/eth1/address'])).stdout.trim();
    return {
      atTakeover: g.filter((e) => e.wallMs <= first + 300).length,
      periodic: g.filter((e) => e.wallMs >= first + 500 && e.wallMs <= first + 4500).length,
      fromEth1Mac: g.every((e) => e.kind === 'garp' && e.sha === eth1Mac),
    };
  } finally {
    await stop(d);
    await cap.stop();
  }
}

describe.skipIf(!vrrpdBuilt)('GARPs on a VIP device other than the instance interface; garp_extra_if', () => {
  const r = underBoth(
    'kw-garpx',
    ['r1'],
    async (lab, impl) => ({
      none: await scenario(lab, impl, ''),
      vmacOnly: await scenario(lab, impl, 'garp_extra_if 1'),
      all: await scenario(lab, impl, 'garp_extra_if all 1'),
    }),
    true,
  );

  it('keepalived 2.2.7 (the reference): one GARP on eth1 at takeover; periodic ones only with `all`', () => {
    const k = r.keepalived();
    for (const f of [k.none, k.vmacOnly, k.all]) expect([f.atTakeover, f.fromEth1Mac]).toEqual([1, true]);
    expect([k.none.periodic, k.vmacOnly.periodic]).toEqual([0, 0]);
    expect(k.all.periodic).toBeGreaterThanOrEqual(3);
    expect(k.all.periodic).toBeLessThanOrEqual(5);
  });

  it('vrrpd: the same', () => {
    const [v, k] = [r.vrrpd(), r.keepalived()];
    for (const which of ['none', 'vmacOnly'] as const) expect(v[which]).toEqual(k[which]);
    expect([v.all.atTakeover, v.all.fromEth1Mac]).toEqual([k.all.atTakeover, k.all.fromEth1Mac]);
    expect(Math.abs(v.all.periodic - k.all.periodic)).toBeLessThanOrEqual(1);
  });
});
