import { describe, expect, it } from 'vitest';
import { toEthernetFrame } from '../../../harness/observers/link-layer.js';
import {
  LINKTYPE_EN10MB,
  LINKTYPE_LINUX_SLL2,
  PcapFormatError,
  PcapReader,
  parsePcap,
  writePcap,
} from '../../../harness/observers/pcap-file.js';

const frameA = Uint8Array.from({ length: 60 }, (_, i) => i);
const frameB = Uint8Array.from({ length: 42 }, (_, i) => 255 - i);

describe('parsePcap', () => {
  for (const littleEndian of [true, false]) {
    for (const nanoseconds of [false, true]) {
      it(`reads ${littleEndian ? 'little' : 'big'}-endian ${nanoseconds ? 'ns' : 'µs'} files`, () => {
        const frac = nanoseconds ? 123_456_789 : 123_456;
        const buf = writePcap(
          [
            { tsSec: 1_764_000_000, tsFrac: frac, data: frameA },
            { tsSec: 1_764_000_001, tsFrac: 0, data: frameB, origLen: 100 },
          ],
          { littleEndian, nanoseconds },
        );
        const f = parsePcap(buf);
        expect(f.header).toMatchObject({
          littleEndian,
          nanoseconds,
          versionMajor: 2,
          versionMinor: 4,
          linktype: LINKTYPE_EN10MB,
        });
        expect(f.records).toHaveLength(2);
        expect(f.records[0]!.tsNs).toBe(nanoseconds ? 123_456_789 : 123_456_000);
        expect(f.records[0]!.wallMs - 1_764_000_000_000).toBeCloseTo(nanoseconds ? 123.456789 : 123.456, 3);
        expect(f.records[0]!.data).toEqual(frameA);
        expect(f.records[1]).toMatchObject({ index: 1, capLen: 42, origLen: 100 });
        expect(f.truncatedBytes).toBe(0);
      });
    }
  }

  it('byte-for-byte matches the header tcpdump writes (LE, µs, EN10MB, snaplen 262144)', () => {
    const hdr = writePcap([], { littleEndian: true });
    expect(Buffer.from(hdr).toString('hex')).toBe('d4c3b2a102000400000000000000000000000400' + '01000000');
  });

  it('masks the FCS bits out of the link type', () => {
    const buf = writePcap([], { linktype: LINKTYPE_LINUX_SLL2 });
    new DataView(buf.buffer).setUint32(20, LINKTYPE_LINUX_SLL2 | 0x1000_0000, true);
    expect(parsePcap(buf).header.linktype).toBe(LINKTYPE_LINUX_SLL2);
  });

  it('rejects pcapng and garbage with a clear error', () => {
    const ng = new Uint8Array(32);
    new DataView(ng.buffer).setUint32(0, 0x0a0d0d0a, false);
    expect(() => parsePcap(ng)).toThrow(PcapFormatError);
    expect(() => parsePcap(new Uint8Array(10))).toThrow(/24 bytes/);
  });

  it('reports a record cut short at the end instead of throwing', () => {
    const buf = writePcap([
      { tsSec: 1, tsFrac: 0, data: frameA },
      { tsSec: 2, tsFrac: 0, data: frameB },
    ]);
    const f = parsePcap(buf.subarray(0, buf.length - 5));
    expect(f.records).toHaveLength(1);
    expect(f.truncatedBytes).toBe(16 + 42 - 5);
  });
});

describe('PcapReader (incremental)', () => {
  it('yields the same records whatever the chunking', () => {
    const recs = Array.from({ length: 20 }, (_, i) => ({ tsSec: i, tsFrac: i * 7, data: i % 2 ? frameA : frameB }));
    const buf = writePcap(recs, { littleEndian: false, nanoseconds: true });
    for (const chunk of [1, 7, 16, 24, 100, buf.length]) {
      const r = new PcapReader();
      const got = [];
      for (let off = 0; off < buf.length; off += chunk) got.push(...r.push(buf.subarray(off, off + chunk)));
      expect(got.map((g) => [g.index, g.tsSec, g.tsNs, g.capLen])).toEqual(
        recs.map((x, i) => [i, x.tsSec, x.tsFrac, x.data.length]),
      );
      expect(r.leftover).toBe(0);
    }
  });
});

describe('toEthernetFrame', () => {
  it('passes Ethernet through', () => {
    expect(toEthernetFrame(LINKTYPE_EN10MB, frameA)).toBe(frameA);
  });

  it('rebuilds an Ethernet header from LINUX_SLL2 (multicast IPv4 destination)', () => {
    const ip = new Uint8Array(20);
    ip[0] = 0x45;
    ip.set([224, 0, 0, 18], 16);
    const sll2 = new Uint8Array(20 + ip.length);
    const v = new DataView(sll2.buffer);
    v.setUint16(0, 0x0800);
    v.setUint32(4, 3);
    v.setUint16(8, 1); // ARPHRD_ETHER
    sll2[10] = 2; // PACKET_MULTICAST
    sll2[11] = 6;
    sll2.set([0x02, 0, 0, 0, 0, 0x11], 12);
    sll2.set(ip, 20);
    const eth = toEthernetFrame(LINKTYPE_LINUX_SLL2, sll2)!;
    expect(Buffer.from(eth.subarray(0, 14)).toString('hex')).toBe('01005e000012' + '020000000011' + '0800');
    expect(eth.subarray(14)).toEqual(ip);
  });

  it('gives up on non-Ethernet cooked captures and unknown link types', () => {
    const sll2 = new Uint8Array(40);
    new DataView(sll2.buffer).setUint16(8, 772); // ARPHRD_LOOPBACK
    expect(toEthernetFrame(LINKTYPE_LINUX_SLL2, sll2)).toBeUndefined();
    expect(toEthernetFrame(105, frameA)).toBeUndefined();
  });
});
