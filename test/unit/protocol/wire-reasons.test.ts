import { describe, expect, it } from 'vitest';
import {
  type DecodedAdvert,
  decodeIpPacket,
  decodeVrrpMessage,
  internetChecksum,
  WIRE_REASONS,
  type WireReason,
} from '../../../src/protocol/index.js';
import {
  DST4,
  message4,
  message6,
  mutate,
  packet4,
  packet6,
  SRC4,
  SRC6,
  v2Advert,
  v3Advert,
  v3Advert6,
} from './helpers.js';

const seen = new Set<WireReason>();

function withByte(m: Buffer, at: number, value: number): Buffer {
  m[at] = value;
  return m;
}

function decoded(packet: Uint8Array): DecodedAdvert {
  const r = decodeIpPacket(packet);
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  for (const e of r.value.errors) seen.add(e);
  return r.value;
}

describe('wire validation (RFC 3768/5798 §7.1, RFC 9568 errata)', () => {
  it('the unmodified baselines are valid: v2, v3 IPv4, v3 IPv6', () => {
    expect(decoded(packet4(message4(v2Advert()))).errors).toEqual([]);
    expect(decoded(packet4(message4(v3Advert()))).errors).toEqual([]);
    expect(decoded(packet6(message6(v3Advert6()))).errors).toEqual([]);
  });

  it("R1: TTL 254 → 'ttl'", () => {
    expect(decoded(packet4(message4(v2Advert()), 254)).errors).toEqual(['ttl']);
  });

  it("R2: IPv6 hop limit 254 → 'ttl'", () => {
    expect(decoded(packet6(message6(v3Advert6()), 254)).errors).toEqual(['ttl']);
  });

  it("version nibble 4 → 'version', message read with the v3 layout", () => {
    const msg = mutate(message4(v3Advert()), (m) => withByte(m, 0, 0x41), 'rfc5798');
    const d = decoded(packet4(msg));
    expect(d.errors).toEqual(['version']);
    expect(d.wireVersion).toBe(4);
  });

  it("v2 over IPv6 → 'version' (VRRPv2 is IPv4-only)", () => {
    const msg = message6({ ...v2Advert(), addresses: ['fe80::254'] });
    expect(decoded(packet6(msg)).errors).toEqual(['version']);
  });

  it("R5: Count 2 with one address → 'length'", () => {
    const msg = mutate(message4(v3Advert()), (m) => withByte(m, 3, 2), 'rfc5798');
    const d = decoded(packet4(msg));
    expect(d.errors).toEqual(['length']);
    expect(d.count).toBe(2);
    expect(d.advert.addresses).toEqual(['10.99.0.254']);
  });

  it("R5: v2 without the 8-byte auth trailer → 'length'", () => {
    const msg = mutate(message4(v2Advert()), (m) => m.subarray(0, 12), 'v2');
    const d = decoded(packet4(msg));
    expect(d.errors).toEqual(['length']);
    expect(d.advert.authData.length).toBe(0);
  });

  it("a trailing extra byte → 'length' (exact length, as keepalived and FRR require)", () => {
    const msg = mutate(message4(v3Advert()), (m) => Buffer.concat([m, Buffer.of(0)]), 'rfc5798');
    expect(decoded(packet4(msg)).errors).toEqual(['length']);
  });

  it("R17: a CARP packet (proto 112, 0x21, 36 bytes) → 'length', no crash", () => {
    // CARP: version 2 / type 1, vhid, advskew, authlen 7, demote, advbase, checksum, 8-byte counter, 20-byte HMAC.
    const carp = Buffer.alloc(36);
    carp.set([0x21, 51, 0, 7, 0, 1]);
    carp.fill(0xa5, 8);
    carp.writeUInt16BE(internetChecksum(carp), 6);
    const d = decoded(packet4(carp));
    // CARP's checksum covers the whole message like v2's, so only the length gives it away.
    expect(d.errors).toEqual(['length']);
    expect(d.count).toBe(7);
  });

  it("R4: bad checksum → 'checksum', in each form", () => {
    const flip = (m: Buffer) => {
      const c = Buffer.from(m);
      c[7] = (c[7] as number) ^ 0x01;
      return c;
    };
    expect(decoded(packet4(flip(message4(v2Advert())))).errors).toEqual(['checksum']);
    expect(decoded(packet4(flip(message4(v3Advert())))).errors).toEqual(['checksum']);
    expect(decoded(packet6(flip(message6(v3Advert6())))).errors).toEqual(['checksum']);
  });

  it("the IPv6 checksum covers the pseudo-header: a different source address → 'checksum'", () => {
    const msg = message6(v3Advert6());
    const r = decodeVrrpMessage(msg, { family: 6, src: 'fe80::99', dst: 'ff02::12', ttl: 255 });
    expect(r.ok && r.value.errors).toEqual(['checksum']);
  });

  it("VRID 0 → 'vrid-zero'", () => {
    expect(decoded(packet4(message4(v3Advert({ vrid: 0 })))).errors).toEqual(['vrid-zero']);
  });

  it("R6: Type 2 → 'type'", () => {
    const d = decoded(packet4(message4(v2Advert({ type: 2 }))));
    expect(d.errors).toEqual(['type']);
    expect(d.advert.type).toBe(2);
  });

  it('VRRPv2 Count 0 is valid: erratum 8299 is a v3 rule, and keepalived sends it for a v2 instance without VIPs', () => {
    expect(decoded(packet4(message4(v2Advert({ addresses: [] })))).errors).toEqual([]);
  });

  it("R12: Count 0 → 'count-zero' (erratum 8299)", () => {
    expect(decoded(packet4(message4(v3Advert({ addresses: [] })))).errors).toEqual(['count-zero']);
    expect(decoded(packet6(message6(v3Advert6({ addresses: [] })))).errors).toEqual(['count-zero']);
  });

  it("R13: Max Adver Int 0 → 'interval-zero' (erratum 8301); v2 Adver Int 0 too", () => {
    expect(decoded(packet4(message4(v3Advert({ advertIntervalCs: 0 })))).errors).toEqual(['interval-zero']);
    expect(decoded(packet4(message4(v2Advert({ advertIntervalCs: 0 })))).errors).toEqual(['interval-zero']);
  });

  it("R16: IPv4 addresses inside an IPv6 advert → 'address-family' (not 'length')", () => {
    const d = decoded(packet6(message6(v3Advert6({ addresses: ['10.99.0.254', '10.99.0.253'] }))));
    expect(d.errors).toEqual(['address-family']);
    expect(d.advert.addresses).toEqual(['10.99.0.254', '10.99.0.253']);
  });

  it("IPv6 addresses inside an IPv4 advert → 'address-family'", () => {
    expect(decoded(packet4(message4(v3Advert({ addresses: ['2001:db8::1'] })))).errors).toEqual(['address-family']);
  });

  it("an IPv4-mapped IPv6 address in an IPv6 advert → 'address-family'", () => {
    const d = decoded(packet6(message6(v3Advert6({ addresses: ['fe80::254', '::ffff:10.99.0.254'] }))));
    expect(d.errors).toEqual(['address-family']);
  });

  it("first IPv6 address not link-local → 'ipv6-first-not-link-local' (erratum 8300)", () => {
    const d = decoded(packet6(message6(v3Advert6({ addresses: ['2001:db8::254', 'fe80::254'] }))));
    expect(d.errors).toEqual(['ipv6-first-not-link-local']);
  });

  it('R11: rsvd bits set (0xF064) read as 100 cs and accepted', () => {
    const d = decoded(packet4(message4(v3Advert({ reserved: 0xf }))));
    expect(d.errors).toEqual([]);
    expect(d.advert.advertIntervalCs).toBe(100);
    expect(d.advert.reserved).toBe(0xf);
    const raw = packet4(message4(v3Advert({ reserved: 0xf }))).subarray(20);
    expect(raw.readUInt16BE(4)).toBe(0xf064);
  });

  it('several problems are all reported, in WIRE_REASONS order', () => {
    const msg = message4(v3Advert({ vrid: 0, type: 3, addresses: [], advertIntervalCs: 0 }));
    const bad = Buffer.from(msg);
    bad[6] = (bad[6] as number) ^ 0xff;
    expect(decoded(packet4(bad, 1)).errors).toEqual([
      'ttl',
      'checksum',
      'vrid-zero',
      'type',
      'count-zero',
      'interval-zero',
    ]);
  });

  it('an IpMeta that does not fit the family gives a checksum error, not an exception', () => {
    const msg = message4(v3Advert());
    const r = decodeVrrpMessage(msg, { family: 4, src: 'nonsense', dst: DST4, ttl: 255 });
    // The RFC 5798 form cannot be checked without the addresses; the 9568 form does not match either.
    expect(r.ok && r.value.errors).toEqual(['checksum']);
    expect(decodeVrrpMessage(msg, { family: 4, src: SRC6, dst: SRC4, ttl: 255 }).ok).toBe(true);
  });

  // Runs last in this block: guards against a reason being added to WIRE_REASONS without a test that triggers it.
  it('every WIRE_REASON was triggered by one of the crafted packets above', () => {
    expect([...seen].sort()).toEqual([...WIRE_REASONS].sort());
  });
});

describe('decodeIpPacket: inputs that are not a complete VRRP packet', () => {
  const good = packet4(message4(v3Advert()));

  it.each([
    ['empty input', Buffer.alloc(0), 'truncated'],
    ['IP version 5', Buffer.from([0x55, ...good.subarray(1)]), 'not-ip'],
    ['IPv4 header cut at 19 bytes', good.subarray(0, 19), 'truncated'],
    ['IPv4 IHL 4', Buffer.from([0x44, ...good.subarray(1)]), 'not-ip'],
    [
      'IPv4 total length shorter than its header',
      Buffer.from([...good.subarray(0, 2), 0, 10, ...good.subarray(4)]),
      'not-ip',
    ],
    ['IPv4 packet cut before its total length', good.subarray(0, good.length - 1), 'truncated'],
    ['UDP instead of VRRP', Buffer.from([...good.subarray(0, 9), 17, ...good.subarray(10)]), 'not-vrrp'],
    ['VRRP message of 7 bytes', packet4(Buffer.alloc(7)), 'truncated'],
    ['IPv4 fragment (MF set)', Buffer.from([...good.subarray(0, 6), 0x20, 0, ...good.subarray(8)]), 'truncated'],
    ['IPv6 header cut at 39 bytes', packet6(message6(v3Advert6())).subarray(0, 39), 'truncated'],
    ['IPv6 payload cut short', packet6(message6(v3Advert6())).subarray(0, 50), 'truncated'],
    [
      'IPv6 next header 58',
      (() => {
        const p = packet6(message6(v3Advert6()));
        p[6] = 58;
        return p;
      })(),
      'not-vrrp',
    ],
  ])('%s → %s', (_name, bytes, reason) => {
    const r = decodeIpPacket(bytes);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe(reason);
    expect(!r.ok && r.detail.length).toBeGreaterThan(0);
  });

  it('ignores link-layer padding after the IPv4 total length', () => {
    const padded = Buffer.concat([good, Buffer.alloc(14, 0xee)]);
    const r = decodeIpPacket(padded);
    expect(r.ok && r.value.errors).toEqual([]);
    expect(r.ok && r.value.length).toBe(12);
  });

  it('decodeVrrpMessage reports fewer than 8 bytes as truncated', () => {
    const r = decodeVrrpMessage(Buffer.alloc(7), { family: 6, src: SRC6, dst: 'ff02::12', ttl: 255 });
    expect(r).toMatchObject({ ok: false, reason: 'truncated' });
  });
});
