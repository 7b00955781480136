import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeName } from '../../../harness/backends/netns/names.js';
import type { Lab } from '../../../harness/lab/index.js';
import { Capture } from '../../../harness/observers/capture.js';
import { packetEvents } from '../../../harness/observers/packet-events.js';
import { startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * `garp_group`: GARP intervals for named interfaces instead of the global vrrp_garp_interval. With
 * `interface eth0` it paces eth0 alone, as the global setting would; with `interfaces { eth0 eth1 }` the GARPs of
 * both interfaces count against one interval (they reach the same switch). r1 becomes Master with three VIPs
 * on eth0 and two on eth1 (`dev eth1`), garp_master_repeat 1; GARPs are read off captures of both switches and
 * merged by time. The same files under keepalived 2.2.7 and vrrpd.
 */
const ETH0 = ['10.99.0.223', '10.99.0.224', '10.99.0.225'];
const ETH1 = ['10.98.0.226', '10.98.0.227'];
const conf = (group: string) => `
${group}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 91
  priority 100
  version 3
  advert_int 0.2
  garp_master_repeat 1
  garp_master_delay 0
  virtual_ipaddress {
${ETH0.map((v) => `    ${v}/24`).join('\n')}
${ETH1.map((v) => `    ${v}/24 dev eth1`).join('\n')}
  }
}
`;

interface Burst {
  /** "eth0 ip" / "eth1 ip", in the order they left. */
  garps: string[];
  /** Shortest gap between consecutive GARPs on eth0, and on either interface, ms. */
  minGapEth0Ms: number;
  minGapAnyMs: number;
}

const minGap = (times: number[]) => Math.min(...times.slice(1).map((t, i) => t - (times[i] as number)));

async function burst(lab: Lab, impl: 'keepalived' | 'vrrpd', group: string, tag: string): Promise<Burst> {
  const caps = await Promise.all(
    [0, 1].map((i) =>
      Capture.start({
        netns: lab.switchNetns,
        iface: bridgeName(lab.runId, i),
        file: join(lab.dir, `garp-group-${impl}-${tag}-${i}.pcap`),
        runId: lab.runId,
        filter: ['arp'],
      }),
    ),
  );
  const all = async () => {
    const out: { dev: string; ip: string; wallMs: number }[] = [];
    for (const [i, cap] of caps.entries()) {
      await cap.flush();
      for (const e of packetEvents(await cap.read())) {
        if (e.kind === 'garp' && [...ETH0, ...ETH1].includes(e.ip))
          out.push({ dev: `eth${i}`, ip: e.ip, wallMs: e.wallMs });
      }
    }
    return out.sort((a, b) => a.wallMs - b.wallMs);
  };
  const d = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', conf(group)) : await startKeepalived(lab, 'r1', conf(group));
  let g: Awaited<ReturnType<typeof all>>;
  try {
    await until(`${impl}: all five GARPs`, async () => (await all()).length >= ETH0.length + ETH1.length, 20_000);
    g = await all();
  } finally {
    await stop(d);
    for (const c of caps) await c.stop();
  }
  return {
    garps: g.map((e) => `${e.dev} ${e.ip}`),
    minGapEth0Ms: minGap(g.filter((e) => e.dev === 'eth0').map((e) => e.wallMs)),
    minGapAnyMs: minGap(g.map((e) => e.wallMs)),
  };
}

describe.skipIf(!vrrpdBuilt)('garp_group', () => {
  const r = underBoth(
    'kw-garpgrp',
    ['r1'],
    async (lab, impl) => ({
      single: await burst(lab, impl, 'garp_group {\n  garp_interval 0.2\n  interface eth0\n}', 'single'),
      shared: await burst(
        lab,
        impl,
        'garp_group {\n  garp_interval 0.2\n  interfaces {\n    eth0\n    eth1\n  }\n}',
        'shared',
      ),
    }),
    true,
  );

  it('keepalived 2.2.7 (the reference): eth0 paced alone, or both interfaces against one interval', () => {
    const k = r.keepalived();
    expect(k.single.minGapEth0Ms).toBeGreaterThanOrEqual(195);
    expect(k.single.minGapAnyMs).toBeLessThan(150);
    expect(k.shared.minGapAnyMs).toBeGreaterThanOrEqual(195);
  });

  it('vrrpd: the same GARPs, in the same order, paced the same way', () => {
    const [v, k] = [r.vrrpd(), r.keepalived()];
    expect(v.single.garps).toEqual(k.single.garps);
    expect(v.shared.garps).toEqual(k.shared.garps);
    expect(v.single.minGapEth0Ms).toBeGreaterThanOrEqual(195);
    expect(v.single.minGapAnyMs).toBeLessThan(150);
    expect(v.shared.minGapAnyMs).toBeGreaterThanOrEqual(195);
  });
});
