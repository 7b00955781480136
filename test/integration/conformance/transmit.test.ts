import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vrrpdAdapter } from '../../../harness/adapters/vrrpd.js';
import { defineTopology, Lab, type LabHost } from '../../../harness/lab/index.js';
import type { Capture } from '../../../harness/observers/capture.js';
import {
  authDataFromPassword,
  decodeEthernetFrame,
  isLinkLocalV6,
  VRRP_MULTICAST_V4,
  VRRP_MULTICAST_V6,
  verifyVrrpChecksum,
  vmacFor,
} from '../../../src/protocol/index.js';
import { monotonicMs } from '../../../src/util/clock.js';
import {
  type CapturedFrame,
  capturedFrames,
  captureSwitch,
  interfaceFacts,
  ipHeader,
  isAdvertFrom,
  VRRP_GROUP_MAC,
  vrrpMessage,
  waitInstanceState,
  waitLinkLocalReady,
} from './tester.js';

/**
 * Transmit-side conformance (implementations.md §6 T1–T10, D1, D2): one capture on the switch bridge of a DUT
 * that starts, becomes Master on five instances (v3 IPv4, v3 IPv6, v2, v2 with PASS auth, a v3 owner), advertises
 * for a few seconds and is stopped with SIGTERM. Every check below reads that one capture.
 */

const isRoot = process.getuid?.() === 0;

interface TxInstance {
  name: string;
  vrid: number;
  family: 4 | 6;
  version: 2 | 3;
  priority: number;
  intervalCs: number;
  vips: string[];
  authPass?: string;
}

const GARP_REPEAT = 3;
const GARP_DELAY_S = 1;
const DUT_V4 = '10.62.0.1';

const INSTANCES: TxInstance[] = [
  { name: 'T3_4', vrid: 61, family: 4, version: 3, priority: 100, intervalCs: 20, vips: ['10.62.0.254'] },
  {
    name: 'T3_6',
    vrid: 62,
    family: 6,
    version: 3,
    priority: 100,
    intervalCs: 20,
    // The topology only takes VIPs inside a link subnet, so no link-local VIP here: RFC 9568 erratum 8300's
    // "link-local first" is then up to the configuration (vrrpd, keepalived and FRR send the VIPs as configured).
    vips: ['fd62::254', 'fd62::253'],
  },
  {
    name: 'T2_4',
    vrid: 63,
    family: 4,
    version: 2,
    priority: 100,
    intervalCs: 100,
    vips: ['10.62.0.253', '10.62.0.252'],
  },
  {
    name: 'T2_P',
    vrid: 64,
    family: 4,
    version: 2,
    priority: 150,
    intervalCs: 100,
    vips: ['10.62.0.251'],
    authPass: 'secret1',
  },
  { name: 'T3_O', vrid: 65, family: 4, version: 3, priority: 255, intervalCs: 50, vips: ['10.62.0.250'] },
];
const byName = (n: string) => INSTANCES.find((i) => i.name === n) as TxInstance;

/** Adverts to capture per instance before the stop (v3 at 0.2 s: 3 s; v2 at 1 s: 6 s). */
const WANTED_ADVERTS = 15;
const WANTED_ADVERTS_V2 = 6;

const topology = defineTopology({
  name: 'conformance-tx',
  switches: { lan: {} },
  hosts: {
    dut: {
      role: 'router',
      links: [{ switch: 'lan', addresses: [`${DUT_V4}/24`, 'fd62::1/64'] }],
      vrrp: INSTANCES.map((i) => ({
        name: i.name,
        vrid: i.vrid,
        priority: i.priority,
        version: i.version,
        advertIntervalS: i.intervalCs / 100,
        vips: i.vips.map((v) => `${v}/${i.family === 4 ? 24 : 64}`),
        ...(i.authPass === undefined ? {} : { authPass: i.authPass }),
        garp: { masterRepeat: GARP_REPEAT, masterDelayS: GARP_DELAY_S, masterRefreshS: 0 },
      })),
    },
    tester: { role: 'client', links: [{ switch: 'lan', addresses: ['10.62.0.2/24', 'fd62::2/64'] }] },
  },
});

function stats(xs: number[]): { n: number; mean: number; min: number; max: number; sd: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { n, mean, min: Math.min(...xs), max: Math.max(...xs), sd };
}

const fmt = (s: ReturnType<typeof stats>) =>
  `n=${s.n} mean=${s.mean.toFixed(2)} min=${s.min.toFixed(2)} max=${s.max.toFixed(2)} sd=${s.sd.toFixed(2)} ms`;

describe.skipIf(!isRoot)('conformance: what the DUT transmits (T1–T10, D1, D2)', () => {
  let lab: Lab;
  let dut: LabHost;
  let dutMac: string;
  let dutLinkLocal: string;
  let frames: CapturedFrame[] = [];
  /** SIGTERM time on the capture's wall clock. */
  let stopWallMs = 0;

  const advertsOf = (i: TxInstance) => frames.filter((f) => isAdvertFrom(f, dutMac, i.vrid, i.family));
  const decoded = (f: CapturedFrame) => {
    if (f.ev.kind !== 'vrrp' || f.ev.decoded === null) throw new Error(`frame ${f.index} is not a decoded advert`);
    return f.ev.decoded;
  };
  /** Adverts sent as Master before the stop (priority > 0). */
  const masterAdverts = (i: TxInstance) => advertsOf(i).filter((f) => decoded(f).advert.priority > 0);

  beforeAll(async () => {
    lab = await Lab.build(topology);
    dut = lab.host('dut');
    const ah = lab.adapterHost('dut');
    expect(vrrpdAdapter.unsupported(ah)).toEqual([]);
    await vrrpdAdapter.render(ah);
    // Start on a settled link, as a boot-time daemon would (after network-online): an IPv6 source still in DAD
    // cannot send. What vrrpd does when it is started earlier is the finding tested at the end of this file.
    dutLinkLocal = await waitLinkLocalReady(dut.netns, dut.ifname);
    let cap: Capture | undefined;
    try {
      cap = await captureSwitch(lab, 'tx');
      await vrrpdAdapter.start(ah);
      const facts = await interfaceFacts(dut.netns, dut.ifname);
      dutMac = facts.mac;
      for (const i of INSTANCES) await waitInstanceState(dut, i.name, 'MASTER', 15_000);
      // Enough adverts of every instance, counted as they arrive on the bridge.
      const counts = new Map<number, number>();
      const want = (i: TxInstance) => (i.version === 2 ? WANTED_ADVERTS_V2 : WANTED_ADVERTS);
      await cap.waitForRecord(
        (r) => {
          const ev = decodeEthernetFrame(r.data);
          if (ev.kind === 'vrrp' && ev.decoded && ev.srcMac === dutMac) {
            counts.set(ev.decoded.advert.vrid, (counts.get(ev.decoded.advert.vrid) ?? 0) + 1);
          }
          return INSTANCES.every((i) => (counts.get(i.vrid) ?? 0) >= want(i));
        },
        30_000,
        'enough adverts of every instance',
      );
      const stopMono = monotonicMs();
      await vrrpdAdapter.stop(ah);
      frames = await capturedFrames(cap);
      // Capture timestamps are wall clock; map the SIGTERM instant onto it with the capture's calibration.
      const c = cap.clock.start;
      stopWallMs = stopMono + (c.wallMs - c.monoMs);
    } finally {
      await cap?.stop();
    }
  });

  afterAll(async () => {
    if (lab) {
      await vrrpdAdapter.stop(lab.adapterHost('dut')).catch(() => undefined);
      await lab.destroy({ keepDir: process.env.VRRPLAB_KEEP === '1' });
    }
  });

  it('T1: adverts go to 224.0.0.18 / ff02::12 (group MAC), IP protocol 112, TTL / Hop Limit 255', () => {
    for (const i of INSTANCES) {
      const ads = advertsOf(i);
      expect(ads.length).toBeGreaterThan(3);
      for (const f of ads) {
        const d = decoded(f);
        const ip = ipHeader(f);
        expect(d.ip.dst).toBe(i.family === 4 ? VRRP_MULTICAST_V4 : VRRP_MULTICAST_V6);
        expect(f.ev.kind === 'vrrp' && f.ev.dstMac).toBe(VRRP_GROUP_MAC[i.family]);
        expect(i.family === 4 ? ip[9] : ip[6]).toBe(112);
        expect(i.family === 4 ? ip[8] : ip[7]).toBe(255);
        expect(d.ip.ttl).toBe(255);
      }
    }
  });

  it('T2: the source is the primary IPv4 address / the IPv6 link-local, never a VIP', () => {
    expect(isLinkLocalV6(dutLinkLocal)).toBe(true);
    for (const i of INSTANCES) {
      for (const f of advertsOf(i)) {
        const src = decoded(f).ip.src;
        expect(src).toBe(i.family === 4 ? DUT_V4 : dutLinkLocal);
        expect(i.vips).not.toContain(src);
      }
    }
  });

  it('T3: the source MAC is the interface MAC (vrrpd, like keepalived without use_vmac, does not use the VMAC)', () => {
    for (const i of INSTANCES) {
      for (const f of advertsOf(i)) {
        expect(f.ev.kind === 'vrrp' && f.ev.srcMac).toBe(dutMac);
        expect(f.ev.kind === 'vrrp' && f.ev.srcMac).not.toBe(vmacFor(i.family, i.vrid));
      }
    }
  });

  it('T4: byte 0 is 0x31 (v3) / 0x21 (v2); VRID, priority, Count and the addresses match the config', () => {
    for (const i of INSTANCES) {
      for (const f of masterAdverts(i)) {
        const m = vrrpMessage(f);
        const d = decoded(f);
        expect(m[0]).toBe(i.version === 3 ? 0x31 : 0x21);
        expect(m[1]).toBe(i.vrid);
        expect(m[2]).toBe(i.priority);
        expect(m[3]).toBe(i.vips.length);
        expect(d.advert.addresses).toEqual(i.vips);
        expect(d.errors.filter((e) => e !== 'ipv6-first-not-link-local')).toEqual([]);
      }
    }
  });

  it('T5: v3 rsvd is 0 and Max Adver Int is the configured centiseconds', () => {
    for (const i of INSTANCES.filter((x) => x.version === 3)) {
      for (const f of advertsOf(i)) {
        const m = vrrpMessage(f);
        expect((m[4] as number) >> 4).toBe(0);
        expect((((m[4] as number) & 0x0f) << 8) | (m[5] as number)).toBe(i.intervalCs);
      }
    }
  });

  it('T6: v2 Adver Int in seconds, Auth Type 0 with 8 zero bytes (PASS: 1 and the password), length 16 + 4n', () => {
    for (const i of INSTANCES.filter((x) => x.version === 2)) {
      for (const f of advertsOf(i)) {
        const m = vrrpMessage(f);
        expect(m.length).toBe(16 + 4 * i.vips.length);
        expect(m[5]).toBe(i.intervalCs / 100);
        const auth = m.subarray(8 + 4 * i.vips.length);
        if (i.authPass === undefined) {
          expect(m[4]).toBe(0);
          expect([...auth]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
        } else {
          expect(m[4]).toBe(1);
          expect(auth.equals(authDataFromPassword(i.authPass))).toBe(true);
        }
      }
    }
  });

  it('T7: checksums are right — v2 over the message, v3 IPv6 with the pseudo-header, v3 IPv4 in the RFC 5798 form', () => {
    for (const i of INSTANCES) {
      for (const f of advertsOf(i)) {
        const m = vrrpMessage(f);
        const { src, dst } = decoded(f).ip;
        if (i.version === 2) expect(verifyVrrpChecksum(m, 'v2')).toBe(true);
        else if (i.family === 6) expect(verifyVrrpChecksum(m, 'ipv6', src, dst)).toBe(true);
        else {
          expect(verifyVrrpChecksum(m, 'rfc5798', src, dst)).toBe(true);
          expect(verifyVrrpChecksum(m, 'rfc9568', src, dst)).toBe(false);
        }
      }
    }
  });

  it('T8: IPv6 adverts carry IPv6 addresses only (16 bytes each), in the configured order', () => {
    const i = byName('T3_6');
    for (const f of advertsOf(i)) {
      const m = vrrpMessage(f);
      expect(m.length).toBe(8 + 16 * i.vips.length);
      expect(decoded(f).advert.addresses).toEqual(i.vips);
      // Only the family check fails-closed; 'ipv6-first-not-link-local' follows from the configured order.
      expect(decoded(f).errors.filter((e) => e !== 'ipv6-first-not-link-local')).toEqual([]);
    }
  });

  // implementations.md suggests ±10 ms / ±1 % per gap; this 2-core machine runs other suites next to us (load
  // average 5–8 seen), so single gaps get ±max(60 ms, 25 %) while the mean — which shows drift — keeps ±2 %.
  it('T9: the period between adverts is the Advertisement_Interval (each gap ±max(60 ms, 25 %), mean ±2 %)', () => {
    for (const i of INSTANCES) {
      const times = masterAdverts(i).map((f) => f.wallMs);
      const gaps = times.slice(1).map((t, k) => t - (times[k] as number));
      const s = stats(gaps);
      const want = i.intervalCs * 10;
      const jitter = stats(gaps.map((g) => g - want));
      console.info(`T9 ${i.name} (${want} ms): gaps ${fmt(s)}; deviation ${fmt(jitter)}`);
      expect(gaps.length).toBeGreaterThanOrEqual(4);
      expect(Math.abs(s.mean - want)).toBeLessThanOrEqual(want * 0.02);
      const bound = Math.max(60, want * 0.25);
      for (const g of gaps) expect(Math.abs(g - want)).toBeLessThanOrEqual(bound);
    }
  });

  it('T10: a non-owner never sends 255, the owner always does; priority 0 only once, on shutdown (SIGTERM)', () => {
    for (const i of INSTANCES) {
      const ads = advertsOf(i);
      const prios = ads.map((f) => decoded(f).advert.priority);
      const last = ads.at(-1) as CapturedFrame;
      // The last advert is the one priority-0 advert, and it left after SIGTERM.
      expect(prios.at(-1)).toBe(0);
      expect(prios.filter((p) => p === 0)).toHaveLength(1);
      expect(last.wallMs).toBeGreaterThan(stopWallMs);
      expect(new Set(prios.slice(0, -1))).toEqual(new Set([i.priority]));
      if (i.priority !== 255) expect(prios).not.toContain(255);
    }
  });

  it('D1: becoming Master sends gratuitous ARPs — garp_master_repeat per VIP, after the first advert, and again after garp_master_delay', () => {
    for (const i of INSTANCES.filter((x) => x.family === 4)) {
      const firstAdvert = (masterAdverts(i)[0] as CapturedFrame).wallMs;
      for (const vip of i.vips) {
        const garps = frames.filter((f) => f.ev.kind === 'arp' && f.ev.gratuitous && f.ev.spa === vip);
        expect(garps.length).toBe(2 * GARP_REPEAT);
        for (const g of garps) {
          if (g.ev.kind !== 'arp') continue;
          expect(g.ev.srcMac).toBe(dutMac);
          expect(g.ev.sha).toBe(dutMac);
          expect(g.ev.dstMac).toBe('ff:ff:ff:ff:ff:ff');
          expect(g.ev.tpa).toBe(vip);
          expect([1, 2]).toContain(g.ev.op);
        }
        const first = garps.slice(0, GARP_REPEAT).map((g) => g.wallMs);
        const second = garps.slice(GARP_REPEAT).map((g) => g.wallMs);
        const lead = (first[0] as number) - firstAdvert;
        const burst = (first.at(-1) as number) - (first[0] as number);
        const delay = (second[0] as number) - (first[0] as number);
        const op = garps[0]?.ev.kind === 'arp' ? garps[0].ev.op : 0;
        console.info(
          `D1 ${i.name} ${vip}: op ${op}; first GARP ${lead.toFixed(3)} ms after the first advert as Master; ` +
            `burst of ${GARP_REPEAT} in ${burst.toFixed(3)} ms; second burst after ${delay.toFixed(1)} ms`,
        );
        expect(lead).toBeGreaterThanOrEqual(0);
        expect(lead).toBeLessThanOrEqual(100);
        expect(burst).toBeLessThanOrEqual(100);
        expect(delay).toBeGreaterThanOrEqual(GARP_DELAY_S * 1000 - 20);
        expect(delay).toBeLessThanOrEqual(GARP_DELAY_S * 1000 + 250);
      }
    }
  });

  it('D2: becoming Master (IPv6) sends unsolicited NAs to ff02::1: HL 255, R=1 S=0 O=1, target = VIP, TLLA', () => {
    const i = byName('T3_6');
    const firstAdvert = (masterAdverts(i)[0] as CapturedFrame).wallMs;
    for (const vip of i.vips) {
      const nas = frames.filter((f) => f.ev.kind === 'na' && f.ev.target === vip && f.ev.srcMac === dutMac);
      expect(nas.length).toBe(2 * GARP_REPEAT);
      for (const n of nas) {
        if (n.ev.kind !== 'na') continue;
        expect(n.ev.dst).toBe('ff02::1');
        expect(n.ev.dstMac).toBe('33:33:00:00:00:01');
        expect(n.ev.src).toBe(dutLinkLocal);
        expect(n.ev.hopLimit).toBe(255);
        expect(n.ev.router).toBe(true);
        expect(n.ev.solicited).toBe(false);
        expect(n.ev.override).toBe(true);
        expect(n.ev.tlla).toBe(dutMac);
        expect(n.ev.checksumValid).toBe(true);
      }
      const lead = (nas[0] as CapturedFrame).wallMs - firstAdvert;
      console.info(`D2 ${vip}: first NA ${lead.toFixed(3)} ms after the first advert as Master`);
      expect(lead).toBeGreaterThanOrEqual(0);
      expect(lead).toBeLessThanOrEqual(100);
    }
  });
});

/**
 * An IPv6 instance started while its link-local is still tentative (DAD, ~1–2 s after the link comes up), the kernel
 * refuses the address as a source (EINVAL). RFC 5798 §8.2.2 / vrrp-protocol.md §9: ARP/NA (and so Master) must
 * wait until the address is usable; vrrpd holds the instance in FAULT until then (src/runtime/source-address-ready.ts).
 */
describe.skipIf(!isRoot)('conformance: IPv6 instance started on a tentative link-local', () => {
  const VIP = 'fd63::254';
  const topo = defineTopology({
    name: 'conformance-tx-dad',
    switches: { lan: {} },
    hosts: {
      dut: {
        role: 'router',
        links: [{ switch: 'lan', addresses: ['10.63.0.1/24', 'fd63::1/64'] }],
        vrrp: [
          {
            name: 'D6',
            vrid: 66,
            priority: 100,
            version: 3,
            advertIntervalS: 0.1,
            vips: [`${VIP}/64`],
            garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 0 },
          },
        ],
      },
      tester: { role: 'client', links: [{ switch: 'lan', addresses: ['10.63.0.2/24'] }] },
    },
  });
  let lab: Lab;

  beforeAll(async () => {
    lab = await Lab.build(topo);
  });

  afterAll(async () => {
    if (lab) {
      await vrrpdAdapter.stop(lab.adapterHost('dut')).catch(() => undefined);
      await lab.destroy({ keepDir: process.env.VRRPLAB_KEEP === '1' });
    }
  });

  it('no unsolicited NA goes out before the first advert as Master', async () => {
    const dut = lab.host('dut');
    const ah = lab.adapterHost('dut');
    await vrrpdAdapter.render(ah);
    const mac = (await interfaceFacts(dut.netns, dut.ifname)).mac;
    await using cap = await captureSwitch(lab, 'tx-dad');
    // Down/up makes the kernel re-add the link-local as tentative and run DAD again; 5 probes 1 s apart keep it
    // tentative for ≥ 5 s, well past startup + Master_Down_Interval (0.36 s), whatever the machine's load.
    await dut.exec('sysctl', ['-qw', `net.ipv6.conf.${dut.ifname}.dad_transmits=5`]);
    await dut.exec('sysctl', ['-qw', `net.ipv6.neigh.${dut.ifname}.retrans_time_ms=1000`]);
    await dut.exec('ip', ['link', 'set', dut.ifname, 'down']);
    await dut.exec('ip', ['link', 'set', dut.ifname, 'up']);
    expect((await interfaceFacts(dut.netns, dut.ifname)).linkLocalTentative).toBe(true);
    await vrrpdAdapter.start(ah);
    await waitInstanceState(dut, 'D6', 'MASTER', 10_000);
    // The first advert the wire sees, whenever the link-local becomes usable.
    await cap.waitForRecord(
      (r) => {
        const ev = decodeEthernetFrame(r.data);
        return ev.kind === 'vrrp' && ev.srcMac === mac && ev.decoded?.advert.vrid === 66;
      },
      20_000,
      'first IPv6 advert of the DUT',
    );
    const all = await capturedFrames(cap);
    const firstAdvert = all.find((f) => isAdvertFrom(f, mac, 66, 6)) as CapturedFrame;
    const earlyNas = all.filter(
      (f) => f.ev.kind === 'na' && f.ev.target === VIP && f.ev.srcMac === mac && f.wallMs < firstAdvert.wallMs,
    );
    console.info(
      `tentative link-local: ${earlyNas.length} NA(s) before the first advert; first NA ` +
        `${earlyNas[0] ? (firstAdvert.wallMs - earlyNas[0].wallMs).toFixed(1) : '-'} ms before it`,
    );
    expect(earlyNas).toEqual([]);
  });
});
