import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressMonitor } from '../../../harness/observers/address-monitor.js';
import { Capture } from '../../../harness/observers/capture.js';
import type { HolderChange } from '../../../harness/observers/holder-log.js';
import { HolderObserver } from '../../../harness/observers/holders.js';
import { packetEvents } from '../../../harness/observers/packet-events.js';
import type { PcapRecord } from '../../../harness/observers/pcap-file.js';
import { buildGratuitousArp, encodeAdvert, encodeIpv4Packet } from '../../../src/protocol/index.js';
import { monotonicMs } from '../../../src/util/clock.js';
import { buildTinyTopology, sendFrames, sh, type TinyTopology } from './tiny-topology.js';

const VIP4 = '10.97.0.254';
const VIP6 = 'fd00:97::fe';

let topo: TinyTopology;
let dir: string;

beforeAll(async () => {
  topo = await buildTinyTopology();
  dir = await mkdtemp(join(tmpdir(), 'vot-'));
});

afterAll(async () => {
  await topo?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Run `ip` and return the monotonic interval during which the change happened. */
async function timedIp(args: string[]): Promise<{ before: number; after: number }> {
  const before = monotonicMs();
  await sh('ip', args);
  return { before, after: monotonicMs() };
}

function found(
  events: readonly HolderChange[],
  host: string,
  vip: string,
  held: boolean,
  after: number,
): HolderChange | undefined {
  return events.find((e) => e.host === host && e.vip === vip && e.held === held && e.tMs >= after);
}

describe('HolderObserver (sampling /proc of the anchors)', () => {
  it('sees a VIP added and removed in a host netns within 30 ms, IPv4 and IPv6', async () => {
    const [h1, h2] = topo.hosts as [TinyTopology['hosts'][0], TinyTopology['hosts'][0]];
    let custom = new Set<string>();
    await using obs = await HolderObserver.start({
      hosts: [
        { host: 'h1', anchorPid: h1.anchorPid },
        { host: 'h2', anchorPid: h2.anchorPid },
        { host: 'frr-like', probe: () => custom },
      ],
      vips: [`${VIP4}/24`, VIP6],
    });
    expect(obs.holdersAt(VIP4)).toEqual([]);

    const latencies: Record<string, number> = {};
    for (const [vip, addr] of [
      [VIP4, `${VIP4}/24`],
      [VIP6, `${VIP6}/64`],
    ] as const) {
      const add = await timedIp([
        '-n',
        h1.netns,
        'addr',
        'add',
        addr,
        'dev',
        'eth0',
        ...(vip === VIP6 ? ['nodad'] : []),
      ]);
      await obs.waitFor((log) => found(log.events, 'h1', vip, true, add.before) !== undefined, 1000, `h1 holds ${vip}`);
      const on = found(obs.log.events, 'h1', vip, true, add.before)!;
      const del = await timedIp(['-n', h1.netns, 'addr', 'del', addr, 'dev', 'eth0']);
      await obs.waitFor(
        (log) => found(log.events, 'h1', vip, false, del.before) !== undefined,
        1000,
        `h1 drops ${vip}`,
      );
      const off = found(obs.log.events, 'h1', vip, false, del.before)!;
      latencies[`${vip} add`] = on.tMs - add.after;
      latencies[`${vip} del`] = off.tMs - del.after;
      for (const [e, w] of [
        [on, add],
        [off, del],
      ] as const) {
        expect(e.tMs).toBeGreaterThanOrEqual(w.before);
        expect(e.tMs - w.after).toBeLessThan(30);
        expect(e.boundMs).toBeLessThan(e.tMs);
      }
    }

    custom = new Set([VIP4]);
    await obs.waitFor(
      (log) => log.holdersAt(VIP4, Number.POSITIVE_INFINITY).includes('frr-like'),
      1000,
      'custom probe',
    );

    const log = await obs.stop();
    expect(log.windows(VIP4).map((w) => w.class)).toEqual(['none', 'single', 'none', 'single']);
    const stats = obs.stats();
    for (const s of stats.filter((x) => x.host !== 'frr-like')) {
      // Period 5 ms (200 Hz nominal) so that ≥ 100 Hz holds with margin on a quiet machine. With load average ~9 on
      // 2 cores (parallel suites) the median gap reached 12 ms, so the bound here only catches a broken loop.
      expect(s.gapP50Ms).toBeLessThanOrEqual(20);
      expect(s.costP50Ms).toBeLessThan(1);
    }
    console.log('holder sampling: change seen after the ip command returned (ms)', latencies);
    console.log('holder sampling stats', JSON.stringify(stats));
  });

  it('AddressMonitor (event mode) stamps changes with ip monitor timestamps', async () => {
    const h2 = topo.hosts[1]!;
    await using mon = await AddressMonitor.start({ host: 'h2', netns: h2.netns, vips: [VIP4], runId: topo.id });
    mon.seed([]);
    const add = await timedIp(['-n', h2.netns, 'addr', 'add', `${VIP4}/24`, 'dev', 'eth0']);
    const del = await timedIp(['-n', h2.netns, 'addr', 'del', `${VIP4}/24`, 'dev', 'eth0']);
    const t0 = monotonicMs();
    while (mon.log.events.length < 3 && monotonicMs() - t0 < 2000) await new Promise((r) => setTimeout(r, 1));
    const log = await mon.stop();
    const [, on, off] = log.events;
    expect(on).toMatchObject({ host: 'h2', vip: VIP4, held: true });
    expect(off).toMatchObject({ host: 'h2', vip: VIP4, held: false });
    // ip stamps the message on receipt: inside the command's interval, give or take the ~µs clock mapping.
    expect(on!.tMs).toBeGreaterThan(add.before - 1);
    expect(on!.tMs).toBeLessThan(add.after + 5);
    expect(off!.tMs).toBeGreaterThan(del.before - 1);
    expect(off!.tMs).toBeLessThan(del.after + 5);
    console.log('monitor: event time minus command end (ms)', on!.tMs - add.after, off!.tMs - del.after);
  });
});

/** IPv4 protocol 112 from this MAC (the bridge also carries the hosts' own IPv6 MLD/RS frames). */
function isAdvertFrom(mac: string): (r: PcapRecord) => boolean {
  const m = Buffer.from(mac.replaceAll(':', ''), 'hex');
  return (r) => r.data[12] === 0x08 && r.data[13] === 0x00 && r.data[23] === 112 && m.equals(r.data.subarray(6, 12));
}

function garpFrom(mac: string, vip: string): Uint8Array {
  return buildGratuitousArp({ srcMac: mac, vip });
}

function advertFrom(mac: string, src: string, seq: number): Uint8Array {
  const dst = '224.0.0.18';
  const msg = encodeAdvert(
    { version: 3, vrid: 51, priority: 100, advertIntervalCs: 100, addresses: [VIP4] },
    { family: 4, src, dst },
  );
  const ip = encodeIpv4Packet({ src, dst, ttl: 255, id: seq }, msg);
  const eth = Buffer.alloc(14 + ip.length);
  Buffer.from('01005e000012', 'hex').copy(eth, 0);
  Buffer.from(mac.replaceAll(':', ''), 'hex').copy(eth, 6);
  eth.writeUInt16BE(0x0800, 12);
  ip.copy(eth, 14);
  return eth;
}

describe('Capture on the bridge', () => {
  it('records a GARP and an advert with timestamps on the monotonic axis, in send order', async () => {
    const h1 = topo.hosts[0]!;
    const cap = await Capture.start({
      netns: topo.sw,
      iface: topo.bridge,
      file: join(dir, 'order.pcap'),
      runId: topo.id,
    });
    // Tail the file while sending, to measure send → on disk (includes the ~2 ms poll of the tail).
    let onDiskMs = 0;
    const tail = cap.waitForRecord(isAdvertFrom(h1.mac), 5000, 'the advert on disk').then((r) => {
      onDiskMs = monotonicMs();
      return r;
    });
    const sent = await sendFrames(h1.netns, [garpFrom(h1.mac, VIP4), advertFrom(h1.mac, h1.ip, 1)]);
    const rec = await tail;
    const seenMs = onDiskMs - sent[1]!;
    const res = await cap.stop();
    expect(res.lostAtStop).toBe(0);
    expect(Buffer.from(rec.data.subarray(6, 12)).toString('hex')).toBe(h1.mac.replaceAll(':', ''));
    const evs = packetEvents(await cap.read(), { clock: res.clock });
    expect(evs.map((e) => e.kind)).toEqual(['garp', 'advert']);
    expect(evs[0]).toMatchObject({ kind: 'garp', ip: VIP4, sha: h1.mac, srcMac: h1.mac });
    expect(evs[1]).toMatchObject({ kind: 'advert', src: h1.ip, vrid: 51, valid: true });
    const skew = evs.map((e, i) => e.tMs - sent[i]!);
    // The kernel stamps the frame as the bridge port receives it, a few µs after send(); mapping error ≪ 1 ms.
    for (const s of skew) {
      expect(s).toBeGreaterThan(-1);
      expect(s).toBeLessThan(5);
    }
    expect(evs[1]!.tMs).toBeGreaterThanOrEqual(evs[0]!.tMs);
    console.log(
      'capture: pcap time minus send time (ms)',
      skew,
      'send → on disk (ms)',
      seenMs,
      'clock drift',
      res.clock.driftMs,
    );
  });

  it('loses nothing at stop: N frames sent back to back, stop at once, N read', async () => {
    const h2 = topo.hosts[1]!;
    const N = 1000;
    const cap = await Capture.start({
      netns: topo.sw,
      iface: topo.bridge,
      file: join(dir, 'burst.pcap'),
      runId: topo.id,
    });
    const frames = Array.from({ length: N }, (_, i) => advertFrom(h2.mac, h2.ip, i));
    await sendFrames(h2.netns, frames);
    const res = await cap.stop();
    const file = await cap.read();
    // Other frames may share the bridge (IPv6 MLD/RS from the hosts): count ours, by source MAC.
    const ours = file.records.filter(
      (r) => packetEvents({ header: file.header, records: [r], truncatedBytes: 0 })[0]?.srcMac === h2.mac,
    );
    expect(res.lostAtStop).toBe(0);
    expect(res.stats?.droppedByKernel).toBe(0);
    expect(res.stats?.captured).toBe(file.records.length);
    expect(file.truncatedBytes).toBe(0);
    expect(ours).toHaveLength(N);
    // IP identification carries the sequence number: all present, in order.
    expect(ours.map((r) => (r.data[18]! << 8) | r.data[19]!)).toEqual(frames.map((_, i) => i));
  });

  it('refuses to start on a missing interface with the tcpdump error', async () => {
    await expect(
      Capture.start({
        netns: topo.sw,
        iface: 'nope0',
        file: join(dir, 'x.pcap'),
        runId: topo.id,
        startTimeoutMs: 3000,
      }),
    ).rejects.toThrow(/nope0/);
  });
});
