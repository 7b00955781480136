import { describe, expect, it } from 'vitest';
import { ClockMap } from '../../../harness/observers/clock-map.js';
import { packetEvents } from '../../../harness/observers/packet-events.js';
import { parsePcap, writePcap } from '../../../harness/observers/pcap-file.js';
import { buildGratuitousArp, buildUnsolicitedNa, encodeAdvert, encodeIpv4Packet } from '../../../src/protocol/index.js';

const MAC = '02:00:00:00:00:11';

function vrrpFrame(priority: number, corrupt = false): Uint8Array {
  const src = '10.0.0.11';
  const dst = '224.0.0.18';
  const msg = encodeAdvert(
    { version: 3, vrid: 51, priority, advertIntervalCs: 100, addresses: ['10.0.0.254'] },
    { family: 4, src, dst },
  );
  if (corrupt) msg[6] = (msg[6]! ^ 0xff) & 0xff;
  const ip = encodeIpv4Packet({ src, dst, ttl: 255 }, msg);
  const eth = Buffer.alloc(14 + ip.length);
  Buffer.from('01005e000012', 'hex').copy(eth, 0);
  Buffer.from(MAC.replaceAll(':', ''), 'hex').copy(eth, 6);
  eth.writeUInt16BE(0x0800, 12);
  ip.copy(eth, 14);
  return eth;
}

/** An ordinary ARP request (SPA ≠ TPA): not gratuitous, so not an event. */
function arpWhoHas(): Uint8Array {
  const f = buildGratuitousArp({ srcMac: MAC, vip: '10.0.0.254' });
  f.set([10, 0, 0, 11], 28);
  return f;
}

describe('packetEvents', () => {
  const WALL0 = 1_764_000_000_000;
  const pcap = writePcap(
    [
      { tsSec: WALL0 / 1000, tsFrac: 1_000_000, data: vrrpFrame(150) },
      { tsSec: WALL0 / 1000, tsFrac: 1_200_000, data: buildGratuitousArp({ srcMac: MAC, vip: '10.0.0.254' }) },
      { tsSec: WALL0 / 1000, tsFrac: 1_300_000, data: arpWhoHas() },
      {
        tsSec: WALL0 / 1000,
        tsFrac: 2_000_000,
        data: buildUnsolicitedNa({ srcMac: MAC, srcIp: 'fe80::11', vip: 'fd00::fe', router: true }),
      },
      { tsSec: WALL0 / 1000, tsFrac: 3_000_000, data: vrrpFrame(100, true) },
      { tsSec: WALL0 / 1000, tsFrac: 4_000_000, data: Uint8Array.from([1, 2, 3]) },
    ],
    { nanoseconds: true, littleEndian: false },
  );
  const clock = new ClockMap({ wallMs: WALL0, monoMs: 500 });
  const evs = packetEvents(parsePcap(pcap), { clock });

  it('turns adverts, GARPs and NAs into events on the monotonic axis', () => {
    // A double at today's epoch keeps ~0.25 µs, so compare to the µs.
    expect(evs.map((e) => [e.kind, e.frame, Math.round(e.tMs * 1000) / 1000])).toEqual([
      ['advert', 0, 501],
      ['garp', 1, 501.2],
      ['na', 3, 502],
      ['advert', 4, 503],
    ]);
    expect(evs[0]).toMatchObject({
      srcMac: MAC,
      src: '10.0.0.11',
      dst: '224.0.0.18',
      vrid: 51,
      priority: 150,
      intervalCs: 100,
      version: 3,
      ttl: 255,
      valid: true,
      addresses: ['10.0.0.254'],
    });
    expect(evs[1]).toMatchObject({ kind: 'garp', sha: MAC, ip: '10.0.0.254', op: 1 });
    expect(evs[2]).toMatchObject({
      kind: 'na',
      target: 'fd00::fe',
      tlla: MAC,
      router: true,
      override: true,
      solicited: false,
    });
  });

  it('marks a corrupted advert invalid but keeps it', () => {
    expect(evs[3]).toMatchObject({ kind: 'advert', valid: false });
    expect((evs[3] as { errors: string[] }).errors.length).toBeGreaterThan(0);
  });

  it('keeps wall time when no clock is given', () => {
    expect(packetEvents(parsePcap(pcap))[0]!.tMs).toBe(WALL0 + 1);
  });
});
