import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../harness/lab/index.js';
import { packetEvents } from '../../../harness/observers/packet-events.js';
import { captureSwitch } from '../daemon/same-config-lab.js';
import { startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * `vrrp_garp_interval 0.2`: the gratuitous ARPs of an interface leave at least 200 ms apart. Three VIPs and
 * garp_master_repeat 2 make a burst of six on becoming Master; with no interval they leave within a few ms.
 * Paced, keepalived 2.2.7 marks what cannot go yet as pending per address, so a repeat of a pending address
 * is not sent twice: 233 at once, then 233, 234, 235 one interval apart (docs/quirks.md Q47). The same file
 * under keepalived and vrrpd, read off a capture of the switch; the burst is over once an advert comes three
 * intervals after the last GARP.
 */
const VIPS = ['10.99.0.233', '10.99.0.234', '10.99.0.235'];
const conf = (interval: string) => `
global_defs {
  ${interval}
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 93
  priority 100
  version 3
  advert_int 0.2
  garp_master_repeat 2
  garp_master_delay 0
  virtual_ipaddress {
${VIPS.map((v) => `    ${v}/24`).join('\n')}
  }
}
`;

interface Burst {
  /** The VIP of each GARP, in order. */
  ips: string[];
  /** Shortest gap between consecutive GARPs, and first to last, ms. */
  minGapMs: number;
  spanMs: number;
}

async function burst(lab: Lab, impl: 'keepalived' | 'vrrpd', interval: string): Promise<Burst> {
  const cap = await captureSwitch(lab, `garp-${impl}-${interval ? 'paced' : 'free'}`, ['arp', 'or', 'vrrp']);
  const garps = async () => {
    await cap.flush();
    return packetEvents(await cap.read()).filter((e) => e.kind === 'garp' && VIPS.includes(e.ip));
  };
  const d =
    impl === 'vrrpd' ? await startVrrpd(lab, 'r1', conf(interval)) : await startKeepalived(lab, 'r1', conf(interval));
  try {
    await until(`${impl}: GARPs, then an advert 600 ms after the last`, async () => {
      const g = await garps();
      const last = g.at(-1)?.wallMs;
      if (last === undefined) return false;
      return packetEvents(await cap.read()).some((e) => e.kind === 'advert' && e.wallMs > last + 600);
    });
  } finally {
    await stop(d);
  }
  const g = await garps();
  await cap.stop();
  const times = g.map((e) => e.wallMs);
  const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
  return {
    ips: g.map((e) => (e.kind === 'garp' ? e.ip : '')),
    minGapMs: Math.min(...gaps),
    spanMs: (times.at(-1) ?? 0) - (times[0] ?? 0),
  };
}

describe.skipIf(!vrrpdBuilt)('vrrp_garp_interval', () => {
  const r = underBoth('kw-garp', ['r1'], async (lab, impl) => ({
    free: await burst(lab, impl, ''),
    paced: await burst(lab, impl, 'vrrp_garp_interval 0.2'),
  }));

  it('keepalived 2.2.7 (the reference): six GARPs at once without it; paced, pending per address', () => {
    const k = r.keepalived();
    expect(k.free.ips).toEqual([...VIPS, ...VIPS]);
    expect(k.free.spanMs).toBeLessThan(100);
    expect(k.paced.ips).toEqual([VIPS[0], VIPS[0], VIPS[1], VIPS[2]]);
    expect(k.paced.minGapMs).toBeGreaterThanOrEqual(195);
  });

  it('vrrpd: the same GARPs in the same order, at once without it and ≥ 200 ms apart with it', () => {
    const v = r.vrrpd();
    expect(v.free.ips).toEqual(r.keepalived().free.ips);
    expect(v.free.spanMs).toBeLessThan(100);
    expect(v.paced.ips).toEqual(r.keepalived().paced.ips);
    expect(v.paced.minGapMs).toBeGreaterThanOrEqual(195);
    // Paced, not stalled: three gaps of about the interval.
    expect(v.paced.spanMs).toBeLessThan(3 * 200 + 300);
  });
});
