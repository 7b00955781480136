import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePidFromFile } from '../../../harness/adapters/proc.js';
import { vrrpdAdapter, vrrpdFiles } from '../../../harness/adapters/vrrpd.js';
import {
  type CapturedFrame,
  capturedFrames,
  captureSwitch,
  interfaceFacts,
  isAdvertFrom,
  Tester,
} from '../../../harness/conformance/tester.js';
import { defineTopology, Lab, waitFor } from '../../../harness/lab/index.js';
import {
  type AdvertInput,
  decodeEthernetFrame,
  decodeVrrpMessage,
  VRRP_MULTICAST_V4,
  VRRP_MULTICAST_V6,
} from '../../../src/protocol/index.js';
import { dutStatus, instanceOf, totalDrops, waitInstanceState } from './vrrpd-status.js';

/**
 * vrrpd-only robustness next to the conformance catalogue: random VRRP payloads are counted and dropped while the
 * daemon lives on as Master (issue 3 "Bad input"), and an IPv6 instance started on a tentative link-local sends
 * no NA before it can advertise (RFC 5798 §8.2.2).
 */

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('vrrpd robustness: fuzzed VRRP payloads', () => {
  const I4 = { name: 'F4', vrid: 71, vip: '10.71.0.254', family: 4 as const };
  const I6 = { name: 'F6', vrid: 72, vip: 'fd71::254', family: 6 as const };
  const topology = defineTopology({
    name: 'conformance-fuzz',
    switches: { lan: {} },
    hosts: {
      dut: {
        role: 'router',
        links: [{ switch: 'lan', addresses: ['10.71.0.1/24', 'fd71::1/64'] }],
        vrrp: [I4, I6].map((i) => ({
          name: i.name,
          vrid: i.vrid,
          version: 3 as const,
          advertIntervalS: 0.1,
          vips: [`${i.vip}/${i.family === 4 ? 24 : 64}`],
          garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 0 },
        })),
      },
      tester: { role: 'client', links: [{ switch: 'lan', addresses: ['10.71.0.2/24', 'fd71::2/64'] }] },
    },
  });
  let lab: Lab;
  let tester: Tester;

  beforeAll(async () => {
    lab = await Lab.build(topology);
    tester = await Tester.open(lab.host('tester').netns);
    const ah = lab.adapterHost('dut');
    await vrrpdAdapter.render(ah);
    await vrrpdAdapter.start(ah);
    for (const i of [I4, I6]) await waitInstanceState(lab.host('dut'), i.name, 'MASTER', 15_000);
  });

  afterAll(async () => {
    tester?.close();
    if (lab) {
      await vrrpdAdapter.stop(lab.adapterHost('dut')).catch(() => undefined);
      await lab.destroy({ keepDir: process.env.VRRPLAB_KEEP === '1' });
    }
  });

  it('a few hundred random VRRP payloads are counted and dropped; the daemon lives on as Master', async () => {
    const dut = lab.host('dut');
    const pid = await livePidFromFile(vrrpdFiles(lab.adapterHost('dut')).pid);
    const messageFor = (i: typeof I4 | typeof I6) => {
      const a: AdvertInput = { version: 3, vrid: i.vrid, priority: 200, advertIntervalCs: 10, addresses: [i.vip] };
      return i.family === 4 ? tester.advert4(a) : tester.advert6(a);
    };
    const packet = fc.record({
      family: fc.constantFrom(4 as const, 6 as const),
      ttl: fc.constantFrom(255, 255, 254, 1, 64),
      payload: fc.oneof(
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        // Mutations of a valid advert reach the deeper checks.
        fc
          .tuple(
            fc.constantFrom(I4, I6),
            fc.array(fc.tuple(fc.nat(40), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
          )
          .map(([i, flips]) => {
            const m = Buffer.from(messageFor(i));
            for (const [at, v] of flips) if (at < m.length) m[at] = v;
            return new Uint8Array(m);
          }),
      ),
    });
    const frames: Buffer[] = [];
    for (const s of fc.sample(packet, { numRuns: 300, seed: 0x5eed })) {
      const src = s.family === 4 ? tester.ipv4 : tester.linkLocal;
      const dst = s.family === 4 ? VRRP_MULTICAST_V4 : VRRP_MULTICAST_V6;
      // Leave out the rare sample that is a usable advert: it is not bad input.
      const d = decodeVrrpMessage(s.payload, { family: s.family, src, dst, ttl: s.ttl });
      if (d.ok && d.value.errors.every((e) => e === 'ipv6-first-not-link-local')) continue;
      frames.push(
        s.family === 4 ? tester.frame4(s.payload, { ttl: s.ttl }) : tester.frame6(s.payload, { hopLimit: s.ttl }),
      );
    }
    expect(frames.length).toBeGreaterThan(250);
    const before = await dutStatus(dut);
    let sent = 0;
    // Batches of 25, each counted before the next, so the DUT's socket buffer never overflows.
    for (let k = 0; k < frames.length; k += 25) {
      const batch = frames.slice(k, k + 25);
      for (const f of batch) tester.send(f);
      sent += batch.length;
      await waitFor(() => dutStatus(dut), {
        description: `${sent} fuzz packets counted`,
        timeoutMs: 5000,
        intervalMs: 10,
        until: (s) => totalDrops(s) - totalDrops(before) >= sent,
      });
    }
    const after = await dutStatus(dut);
    expect(after.pid).toBe(pid);
    for (const i of [I4, I6]) {
      expect(instanceOf(after, i.name).state).toBe('MASTER');
      expect(instanceOf(after, i.name).counters.transitions).toBe(instanceOf(before, i.name).counters.transitions);
    }
  });
});

describe.skipIf(!isRoot)('vrrpd robustness: IPv6 instance started on a tentative link-local', () => {
  const VIP = 'fd73::254';
  const topology = defineTopology({
    name: 'conformance-dad',
    switches: { lan: {} },
    hosts: {
      dut: {
        role: 'router',
        links: [{ switch: 'lan', addresses: ['10.73.0.1/24', 'fd73::1/64'] }],
        vrrp: [
          {
            name: 'D6',
            vrid: 66,
            version: 3,
            advertIntervalS: 0.1,
            vips: [`${VIP}/64`],
            garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 0 },
          },
        ],
      },
      tester: { role: 'client', links: [{ switch: 'lan', addresses: ['10.73.0.2/24'] }] },
    },
  });
  let lab: Lab;

  beforeAll(async () => {
    lab = await Lab.build(topology);
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
    // Down/up re-runs DAD; 5 probes 1 s apart keep the link-local tentative well past Master_Down_Interval.
    await dut.exec('sysctl', ['-qw', `net.ipv6.conf.${dut.ifname}.dad_transmits=5`]);
    await dut.exec('sysctl', ['-qw', `net.ipv6.neigh.${dut.ifname}.retrans_time_ms=1000`]);
    await dut.exec('ip', ['link', 'set', dut.ifname, 'down']);
    await dut.exec('ip', ['link', 'set', dut.ifname, 'up']);
    expect((await interfaceFacts(dut.netns, dut.ifname)).linkLocalTentative).toBe(true);
    await vrrpdAdapter.start(ah);
    await waitInstanceState(dut, 'D6', 'MASTER', 10_000);
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
    expect(earlyNas).toEqual([]);
  });
});
