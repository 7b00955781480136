import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { livePidFromFile } from '../../../harness/adapters/proc.js';
import { vrrpdAdapter, vrrpdFiles } from '../../../harness/adapters/vrrpd.js';
import { defineTopology, Lab, type LabHost, waitFor } from '../../../harness/lab/index.js';
import type { Capture } from '../../../harness/observers/capture.js';
import { masterDownIntervalUs } from '../../../src/core/timer-math.js';
import {
  type AdvertInput,
  decodeEthernetFrame,
  decodeVrrpMessage,
  internetChecksum,
  VRRP_MULTICAST_V4,
  VRRP_MULTICAST_V6,
} from '../../../src/protocol/index.js';
import type { DaemonStatus } from '../../../src/runtime/status.js';
import {
  captureSwitch,
  dropCount,
  dutStatus,
  dutStatusCli,
  instanceOf,
  interfaceFacts,
  isAdvertFrom,
  Tester,
  totalDrops,
  waitCaptured,
  waitInstanceState,
  withChecksum,
} from './tester.js';

/**
 * Receive-side conformance (implementations.md §6 R1–R17) and robustness (issue 3 "Bad input") of the running
 * vrrpd, with the §4 oracle: the DUT is Master; the tester sends a higher-priority (200) advert that is wrong in
 * exactly one field. PASS when the DUT counts exactly that drop reason, stays Master with no transition, and
 * keeps advertising on the wire; the same advert with the field right (the control) must make it yield (silent
 * for Master_Down_Interval, then Master again once the tester stops).
 */

const isRoot = process.getuid?.() === 0;

interface DutInstance {
  name: string;
  vrid: number;
  family: 4 | 6;
  version: 2 | 3;
  intervalCs: number;
  vip: string;
}

const V3_4: DutInstance = { name: 'V3_4', vrid: 51, family: 4, version: 3, intervalCs: 10, vip: '10.61.0.254' };
const V3_6: DutInstance = { name: 'V3_6', vrid: 52, family: 6, version: 3, intervalCs: 10, vip: 'fd61::254' };
const V2_4: DutInstance = { name: 'V2_4', vrid: 53, family: 4, version: 2, intervalCs: 100, vip: '10.61.0.253' };
const ALL = [V3_4, V3_6, V2_4];
const DUT_PRIORITY = 100;
const TESTER_PRIORITY = 200;

/** Master_Down_Interval of the DUT (priority 100) behind a Master advertising every `cs`, in ms. */
const mdiMs = (i: DutInstance, cs = i.intervalCs) => masterDownIntervalUs(i.version, DUT_PRIORITY, cs) / 1000;

/** Slack for a busy 2-core machine: timers, capture and the control-socket poll all add a little. */
const SLACK_MS = 250;

const topology = defineTopology({
  name: 'conformance-rx',
  switches: { lan: {} },
  hosts: {
    dut: {
      role: 'router',
      links: [{ switch: 'lan', addresses: ['10.61.0.1/24', 'fd61::1/64'] }],
      vrrp: ALL.map((i) => ({
        name: i.name,
        vrid: i.vrid,
        priority: DUT_PRIORITY,
        version: i.version,
        advertIntervalS: i.intervalCs / 100,
        vips: [`${i.vip}/${i.family === 4 ? 24 : 64}`],
        garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 0 },
      })),
    },
    tester: { role: 'client', links: [{ switch: 'lan', addresses: ['10.61.0.2/24', 'fd61::2/64'] }] },
  },
});

/** A valid advert for `i` from the tester at priority 200: the control, and the base every bad packet changes. */
function advertFor(i: DutInstance, over: Partial<AdvertInput> = {}): AdvertInput {
  return {
    version: i.version,
    vrid: i.vrid,
    priority: TESTER_PRIORITY,
    advertIntervalCs: i.intervalCs,
    addresses: [i.vip],
    ...(i.version === 2 ? { authType: 0 } : {}),
    ...over,
  };
}

describe.skipIf(!isRoot)('conformance: what the DUT accepts and discards (R1–R17, bad input)', () => {
  let lab: Lab;
  let dut: LabHost;
  let tester: Tester;
  let cap: Capture;
  let dutMac: string;
  let pid: number;
  let captures = 0;

  /** Frames for `i`'s family: the IPv4 or IPv6 Ethernet frame around a message. */
  const frameFor = (i: DutInstance, msg: Buffer, o: { ttl?: number } = {}) =>
    i.family === 4 ? tester.frame4(msg, { ttl: o.ttl ?? 255 }) : tester.frame6(msg, { hopLimit: o.ttl ?? 255 });
  const messageFor = (i: DutInstance, over: Partial<AdvertInput> = {}) =>
    i.family === 4 ? tester.advert4(advertFor(i, over)) : tester.advert6(advertFor(i, over));
  const validFrame = (i: DutInstance, over: Partial<AdvertInput> = {}) => frameFor(i, messageFor(i, over));

  /** Capture times of the DUT's next `n` adverts for `i` after `afterMs` (capture clock). */
  async function dutAdvertsAfter(i: DutInstance, afterMs: number, n: number, timeoutMs: number): Promise<number[]> {
    const times: number[] = [];
    await cap.waitForRecord(
      (r) => {
        if (r.wallMs <= afterMs) return false;
        const ev = decodeEthernetFrame(r.data);
        const f = { index: r.index, wallMs: r.wallMs, data: Buffer.from(r.data), ev };
        if (isAdvertFrom(f, dutMac, i.vrid, i.family)) times.push(r.wallMs);
        return times.length >= n;
      },
      timeoutMs,
      `${n} DUT adverts for VRID ${i.vrid}`,
    );
    return times;
  }

  interface Discard {
    reason: string;
    /** Where the reason is counted: on the instance (default) or daemon-wide (packets no instance matched). */
    scope?: 'instance' | 'global';
    /** How many drops in all the packet may add (default 1: exactly one field is wrong). */
    totalDelta?: number;
  }

  /** The §4 oracle, first half: `bad` is counted under `reason` and changes nothing. */
  async function expectDiscarded(i: DutInstance, bad: Buffer, d: Discard): Promise<void> {
    const before = await waitInstanceState(dut, i.name, 'MASTER');
    const where = d.scope === 'global' ? undefined : i.name;
    tester.send(bad);
    const t0 = await waitCaptured(cap, bad);
    const after = await waitFor(() => dutStatus(dut), {
      description: `drop counter ${d.reason} (${where ?? 'daemon-wide'}) to count the packet`,
      timeoutMs: 3000,
      intervalMs: 10,
      until: (s) => dropCount(s, d.reason, where) > dropCount(before, d.reason, where),
    });
    expect(dropCount(after, d.reason, where) - dropCount(before, d.reason, where)).toBe(1);
    expect(totalDrops(after) - totalDrops(before)).toBe(d.totalDelta ?? 1);
    const b = instanceOf(before, i.name);
    const a = instanceOf(after, i.name);
    expect(a.state).toBe('MASTER');
    expect(a.counters.transitions).toBe(b.counters.transitions);
    expect(a.counters.advertsReceived).toBe(b.counters.advertsReceived);
    // It keeps advertising: three more adverts, none of them late.
    const intervalMs = i.intervalCs * 10;
    const times = await dutAdvertsAfter(i, t0, 3, 3 * intervalMs + 2000);
    const gaps = [(times[0] as number) - t0, ...times.slice(1).map((t, k) => t - (times[k] as number))];
    for (const g of gaps) expect(g).toBeLessThanOrEqual(intervalMs + SLACK_MS);
    expect((await dutStatus(dut)).instances.find((x) => x.name === i.name)?.counters.transitions).toBe(
      b.counters.transitions,
    );
  }

  /**
   * The §4 oracle, second half: a valid advert (`control`) is obeyed: the DUT yields at once, stays silent for
   * Master_Down_Interval (computed from `masterIntervalCs`, the interval the advert carries), then takes over
   * again. Returns the measured silence (ms, capture clock).
   */
  async function expectAccepted(i: DutInstance, control: Buffer, masterIntervalCs = i.intervalCs): Promise<number> {
    const before = instanceOf(await waitInstanceState(dut, i.name, 'MASTER'), i.name);
    tester.send(control);
    const tc = await waitCaptured(cap, control);
    const mdi = mdiMs(i, masterIntervalCs);
    const again = await waitFor(() => dutStatus(dut), {
      description: `${i.name} to yield and take over again`,
      timeoutMs: mdi + 5000,
      intervalMs: 10,
      until: (s) => instanceOf(s, i.name).counters.becameMaster > before.counters.becameMaster,
    });
    const a = instanceOf(again, i.name);
    expect(a.state).toBe('MASTER');
    expect(a.counters.transitions - before.counters.transitions).toBe(2); // MASTER → BACKUP → MASTER
    // An advert already on its way when the control arrived may land a few µs after it on the bridge: skip 20 ms.
    const [next] = await dutAdvertsAfter(i, tc + 20, 1, 3000);
    const silence = (next as number) - tc;
    expect(silence).toBeGreaterThanOrEqual(mdi - 15);
    expect(silence).toBeLessThanOrEqual(mdi + SLACK_MS);
    return silence;
  }

  beforeAll(async () => {
    lab = await Lab.build(topology);
    dut = lab.host('dut');
    tester = await Tester.open(lab.host('tester').netns);
    dutMac = (await interfaceFacts(dut.netns, dut.ifname)).mac;
    const ah = lab.adapterHost('dut');
    expect(vrrpdAdapter.unsupported(ah)).toEqual([]);
    await vrrpdAdapter.render(ah);
    await vrrpdAdapter.start(ah);
    pid = (await livePidFromFile(vrrpdFiles(ah).pid)) as number;
    for (const i of ALL) await waitInstanceState(dut, i.name, 'MASTER', 15_000);
  });

  afterAll(async () => {
    tester?.close();
    if (lab) {
      await vrrpdAdapter.stop(lab.adapterHost('dut')).catch(() => undefined);
      await lab.destroy({ keepDir: process.env.VRRPLAB_KEEP === '1' });
    }
  });

  beforeEach(async () => {
    cap = await captureSwitch(lab, `rx-${++captures}`);
  });

  afterEach(async () => {
    await cap?.stop();
    // Whatever the test sent, the daemon is still the same process, and every instance is (again) Master.
    expect(await livePidFromFile(vrrpdFiles(lab.adapterHost('dut')).pid)).toBe(pid);
    for (const i of ALL) await waitInstanceState(dut, i.name, 'MASTER', mdiMs(i) + 5000);
  });

  it('R1: IPv4 TTL 254 is discarded (ttl); TTL 255 is obeyed', async () => {
    await expectDiscarded(V3_4, frameFor(V3_4, messageFor(V3_4), { ttl: 254 }), { reason: 'ttl' });
    await expectAccepted(V3_4, validFrame(V3_4));
  });

  it('R2: IPv6 Hop Limit 254 is discarded (ttl); 255 is obeyed', async () => {
    await expectDiscarded(V3_6, frameFor(V3_6, messageFor(V3_6), { ttl: 254 }), { reason: 'ttl' });
    await expectAccepted(V3_6, validFrame(V3_6));
  });

  it('R3: wrong version both ways (v2 to a v3 VRID, v3 to a v2 VRID), version 4, v2 over IPv6: discarded', async () => {
    // A well-formed v2 advert for the v3 instance's VRID matches no instance: counted daemon-wide.
    const v2ToV3 = tester.advert4({ ...advertFor(V2_4), vrid: V3_4.vrid, addresses: [V3_4.vip] });
    await expectDiscarded(V3_4, tester.frame4(v2ToV3), { reason: 'version-mismatch', scope: 'global' });
    const v3ToV2 = tester.advert4({
      ...advertFor(V3_4),
      vrid: V2_4.vrid,
      addresses: [V2_4.vip],
      advertIntervalCs: 100,
    });
    await expectDiscarded(V2_4, tester.frame4(v3ToV2), { reason: 'version-mismatch', scope: 'global' });
    // Version nibble 4 (checksum made right): read with the v3 layout, so it lands on the v3 instance.
    const v4 = Buffer.from(messageFor(V3_4));
    v4[0] = 0x41;
    await expectDiscarded(V3_4, tester.frame4(withChecksum(v4, 'rfc5798', tester.ipv4, VRRP_MULTICAST_V4)), {
      reason: 'version',
    });
    // VRRPv2 does not exist over IPv6 (RFC 3768 is IPv4 only): no (VRID, v2) instance, counted daemon-wide.
    const v2Over6 = tester.advert6({ ...advertFor(V3_6), version: 2, advertIntervalCs: 100, authType: 0 });
    await expectDiscarded(V3_6, tester.frame6(v2Over6), { reason: 'version', scope: 'global' });
    await expectAccepted(V3_4, validFrame(V3_4));
    await expectAccepted(V2_4, validFrame(V2_4));
  });

  it('R4: a bad checksum is discarded (IPv4 v3, IPv6 v3, v2)', async () => {
    for (const i of ALL) {
      const msg = Buffer.from(messageFor(i));
      msg.writeUInt16BE(msg.readUInt16BE(6) ^ 0x5a5a, 6);
      await expectDiscarded(i, frameFor(i, msg), { reason: 'checksum' });
    }
    await expectAccepted(V3_6, validFrame(V3_6));
  });

  it('R5: truncated — Count 2 with one address, and v2 without the 8-byte auth trailer — is discarded (length)', async () => {
    const count2 = Buffer.from(messageFor(V3_4));
    count2[3] = 2;
    await expectDiscarded(V3_4, tester.frame4(withChecksum(count2, 'rfc5798', tester.ipv4, VRRP_MULTICAST_V4)), {
      reason: 'length',
    });
    const noTrailer = withChecksum(messageFor(V2_4).subarray(0, 12), 'v2');
    await expectDiscarded(V2_4, tester.frame4(noTrailer), { reason: 'length' });
    await expectAccepted(V2_4, validFrame(V2_4));
  });

  it('R6: Type 2 is discarded (type)', async () => {
    await expectDiscarded(V3_4, validFrame(V3_4, { type: 2 }), { reason: 'type' });
    await expectDiscarded(V2_4, validFrame(V2_4, { type: 2 }), { reason: 'type' });
  });

  it('R7: a VRID not configured is ignored (unknown-vrid, daemon-wide); the own VRID is unaffected', async () => {
    await expectDiscarded(V3_4, validFrame(V3_4, { vrid: 99 }), { reason: 'unknown-vrid', scope: 'global' });
    await expectDiscarded(V3_6, validFrame(V3_6, { vrid: 99 }), { reason: 'unknown-vrid', scope: 'global' });
    await expectAccepted(V3_4, validFrame(V3_4));
  });

  it('R8: v2 Auth Type mismatch (1 PASS against the local 0) is discarded (auth-type)', async () => {
    await expectDiscarded(V2_4, validFrame(V2_4, { authType: 1, authPass: 'secret' }), { reason: 'auth-type' });
  });

  it('R9: v2 Adver Int different from the local one is discarded (interval-mismatch)', async () => {
    await expectDiscarded(V2_4, validFrame(V2_4, { advertIntervalCs: 200 }), { reason: 'interval-mismatch' });
  });

  it('R10: v3 with another Max Adver Int is accepted; the Backup times out at 3 × peer interval + skew', async () => {
    const silence = await expectAccepted(V3_4, validFrame(V3_4, { advertIntervalCs: 50 }), 50);
    console.info(`R10: silence after a 50 cs advert ${silence.toFixed(1)} ms (expected ${mdiMs(V3_4, 50)} ms)`);
    // Far from the local 10 cs Master_Down_Interval: the peer's interval was adopted.
    expect(silence).toBeGreaterThan(mdiMs(V3_4) * 3);
  });

  it('R11: v3 rsvd bits set (0xF00A) read as 10 cs and accepted', async () => {
    const silence = await expectAccepted(V3_4, validFrame(V3_4, { reserved: 0xf }));
    // Read as 0xF0A = 3850 cs, the Backup would stay silent for ~2 minutes.
    expect(silence).toBeLessThan(mdiMs(V3_4) + SLACK_MS);
  });

  it('R12: Count 0 is ignored (count-zero)', async () => {
    await expectDiscarded(V3_4, validFrame(V3_4, { addresses: [] }), { reason: 'count-zero' });
    await expectDiscarded(V3_6, validFrame(V3_6, { addresses: [] }), { reason: 'count-zero' });
  });

  it('R13: Max Adver Int 0 is discarded (interval-zero)', async () => {
    await expectDiscarded(V3_4, validFrame(V3_4, { advertIntervalCs: 0 }), { reason: 'interval-zero' });
    await expectDiscarded(V3_6, validFrame(V3_6, { advertIntervalCs: 0 }), { reason: 'interval-zero' });
  });

  it('R14: a different address list — v2 dropped (address-list), v3 processed', async () => {
    await expectDiscarded(V2_4, validFrame(V2_4, { addresses: ['10.61.0.99'] }), { reason: 'address-list' });
    // v2 from the owner (255) with another list is processed (RFC 3768 §7.1 "unless the sender is the owner").
    await expectAccepted(V2_4, validFrame(V2_4, { addresses: ['10.61.0.99'], priority: 255 }));
    await expectAccepted(V3_4, validFrame(V3_4, { addresses: ['10.61.0.99', '10.61.0.98'] }));
    await expectAccepted(V3_6, validFrame(V3_6, { addresses: ['fd61::99'] }));
  });

  it('R15: v3 IPv4 checksum in the RFC 9568 form (no pseudo-header) is accepted: the accept-both policy', async () => {
    // Policy (vrrp-protocol.md §5): vrrpd sends the RFC 5798 form (what keepalived 2.2.7 and FRR 8.4.4 require)
    // and accepts both forms on receive, so Cisco/Juniper/EOS-style routers interoperate too.
    const rfc9568 = tester.advert4(advertFor(V3_4), { checksumForm: 'rfc9568' });
    expect(rfc9568.readUInt16BE(6)).not.toBe(tester.advert4(advertFor(V3_4)).readUInt16BE(6));
    await expectAccepted(V3_4, tester.frame4(rfc9568));
    await expectAccepted(V3_4, validFrame(V3_4));
  });

  it('R16: IPv4 addresses inside an IPv6 advert are discarded (address-family)', async () => {
    const mixed = tester.advert6(advertFor(V3_6, { addresses: ['10.61.0.254'] }));
    await expectDiscarded(V3_6, tester.frame6(mixed), { reason: 'address-family' });
  });

  it('R17: a CARP packet (proto 112, 0x21, 36 bytes) is discarded (length), no crash, no state change', async () => {
    // CARP (OpenBSD carp(4)): version 2 / type 1, vhid, advskew, authlen 7, demote, advbase, cksum,
    // 8-byte counter, 20-byte SHA1 HMAC. Its checksum covers the 36 bytes, so only the length is wrong for VRRPv2.
    const carp = Buffer.alloc(36);
    carp.set([0x21, V2_4.vrid, 0, 7, 0, 1], 0);
    carp.writeBigUInt64BE(0x0102030405060708n, 8);
    for (let k = 16; k < 36; k++) carp[k] = (k * 37) & 0xff;
    carp.writeUInt16BE(internetChecksum(carp), 6);
    await expectDiscarded(V2_4, tester.frame4(carp), { reason: 'length' });
  });

  it('fuzz: a few hundred random VRRP payloads (fast-check) are counted and dropped; the daemon lives on as Master', async () => {
    const packet = fc.record({
      family: fc.constantFrom(4 as const, 6 as const),
      ttl: fc.constantFrom(255, 255, 254, 1, 64),
      payload: fc.oneof(
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        // Mutations of a valid advert reach the deeper checks.
        fc
          .tuple(
            fc.constantFrom(...ALL),
            fc.array(fc.tuple(fc.nat(40), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
          )
          .map(([i, flips]) => {
            const m = Buffer.from(messageFor(i));
            for (const [at, v] of flips) if (at < m.length) m[at] = v;
            return new Uint8Array(m);
          }),
      ),
    });
    const samples = fc.sample(packet, { numRuns: 300, seed: 0x5eed });
    const frames: Buffer[] = [];
    for (const s of samples) {
      const src = s.family === 4 ? tester.ipv4 : tester.linkLocal;
      const dst = s.family === 4 ? VRRP_MULTICAST_V4 : VRRP_MULTICAST_V6;
      // Leave out the rare sample that is a usable advert (a mutation that changed nothing, say): it is not bad input.
      const d = decodeVrrpMessage(s.payload, { family: s.family, src, dst, ttl: s.ttl });
      // ('ipv6-first-not-link-local' alone is tolerated by the daemon: keepalived and FRR send global VIPs first.)
      if (d.ok && d.value.errors.every((e) => e === 'ipv6-first-not-link-local')) continue;
      frames.push(
        s.family === 4 ? tester.frame4(s.payload, { ttl: s.ttl }) : tester.frame6(s.payload, { hopLimit: s.ttl }),
      );
    }
    expect(frames.length).toBeGreaterThan(250);
    const before = await dutStatus(dut);
    // Batches of 25, each counted before the next, so the DUT's socket buffer never overflows.
    let sent = 0;
    for (let k = 0; k < frames.length; k += 25) {
      const batch = frames.slice(k, k + 25);
      for (const f of batch) tester.send(f);
      sent += batch.length;
      // A packet with several wrong fields is counted once per reason: at least one count per packet.
      await waitFor(() => dutStatus(dut), {
        description: `${sent} fuzz packets counted`,
        timeoutMs: 5000,
        intervalMs: 10,
        until: (s) => totalDrops(s) - totalDrops(before) >= sent,
      });
    }
    const after: DaemonStatus = await dutStatusCli(dut);
    console.info(
      `fuzz: ${sent} packets → ${totalDrops(after) - totalDrops(before)} drops counted`,
      JSON.stringify(after.drops),
    );
    expect(after.pid).toBe(pid);
    for (const i of ALL) {
      const b = instanceOf(before, i.name);
      const a = instanceOf(after, i.name);
      expect(a.state).toBe('MASTER');
      expect(a.counters.transitions).toBe(b.counters.transitions);
    }
  });
});
