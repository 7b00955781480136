import { describe, expect, it } from 'vitest';
import {
  decodeIpPacket,
  decodeVrrpMessage,
  encodeAdvert,
  encodeIpv4Packet,
  parseHex,
} from '../../../src/protocol/index.js';

/** The five test vectors of docs/protocol.md §2 (VRRP payload only). */
const hex = (s: string) => parseHex(s) as Buffer;
const v4 = { family: 4 as const, src: '192.168.200.1', dst: '224.0.0.18', ttl: 255 };
const v6 = { family: 6 as const, src: 'fe80::1', dst: 'ff02::12', ttl: 255 };
const base = { vrid: 51, priority: 100, advertIntervalCs: 100, addresses: ['192.168.200.16'] };

describe('docs/protocol.md §2 test vectors', () => {
  const cases = [
    {
      name: '1: v2, no auth',
      bytes: '21 33 64 01 00 01 f2 10 c0 a8 c8 10 00000000 00000000',
      input: { ...base, version: 2 as const },
      opts: { family: 4 as const, src: v4.src, dst: v4.dst },
      ip: v4,
      checksumForm: 'v2',
    },
    {
      name: '2: v2, auth PASS "1111"',
      bytes: '21 33 64 01 01 01 8e ae c0 a8 c8 10 31313131 00000000',
      input: { ...base, version: 2 as const, authType: 1, authPass: '1111' },
      opts: { family: 4 as const, src: v4.src, dst: v4.dst },
      ip: v4,
      checksumForm: 'v2',
    },
    {
      name: '3: v3 IPv4, RFC 5798 pseudo-header form',
      bytes: '31 33 64 01 00 64 78 74 c0 a8 c8 10',
      input: { ...base, version: 3 as const },
      opts: { family: 4 as const, src: v4.src, dst: v4.dst },
      ip: v4,
      checksumForm: 'rfc5798',
    },
    {
      name: '4: v3 IPv4, RFC 9568 message-only form',
      bytes: '31 33 64 01 00 64 e1 ad c0 a8 c8 10',
      input: { ...base, version: 3 as const },
      opts: { family: 4 as const, src: v4.src, dst: v4.dst, checksumForm: 'rfc9568' as const },
      ip: v4,
      checksumForm: 'rfc9568',
    },
    {
      name: '5: v3 IPv6',
      bytes: '31 33 64 02 00 64 de b9 fe800000000000000200 5efffe000233 20010db8000000000000000000000010',
      input: { ...base, version: 3 as const, addresses: ['fe80::200:5eff:fe00:233', '2001:db8::10'] },
      opts: { family: 6 as const, src: v6.src, dst: v6.dst },
      ip: v6,
      checksumForm: 'ipv6',
    },
  ];

  for (const c of cases) {
    it(`${c.name}: encodes byte-exact`, () => {
      expect(encodeAdvert(c.input, c.opts).toString('hex')).toBe(hex(c.bytes).toString('hex'));
    });

    it(`${c.name}: decodes to the same fields`, () => {
      const r = decodeVrrpMessage(hex(c.bytes), c.ip);
      if (!r.ok) throw new Error(r.detail);
      expect(r.value.errors).toEqual([]);
      expect(r.value.checksumValid).toBe(true);
      expect(r.value.checksumForm).toBe(c.checksumForm);
      expect(r.value.advert).toMatchObject({
        version: c.input.version,
        type: 1,
        vrid: 51,
        priority: 100,
        advertIntervalCs: 100,
        addresses: c.input.addresses,
        reserved: 0,
      });
    });
  }

  it('vector 2 carries the password NUL-padded in the auth data', () => {
    const r = decodeVrrpMessage(hex(cases[1]!.bytes), v4);
    expect(r.ok && r.value.advert.authType).toBe(1);
    expect(r.ok && r.value.advert.authData.toString('hex')).toBe('3131313100000000');
  });

  it('vector 4 is rejected when only the RFC 5798 form is accepted (keepalived 2.2.7 / FRR 8.4.4 behaviour, R15)', () => {
    const r = decodeVrrpMessage(hex(cases[3]!.bytes), v4, { acceptedV3Ipv4Forms: ['rfc5798'] });
    if (!r.ok) throw new Error(r.detail);
    expect(r.value.checksumValid).toBe(false);
    expect(r.value.checksumForm).toBe('rfc9568');
    expect(r.value.errors).toEqual(['checksum']);
  });

  it('vector 3 is rejected when only the RFC 9568 form is accepted', () => {
    const r = decodeVrrpMessage(hex(cases[2]!.bytes), v4, { acceptedV3Ipv4Forms: ['rfc9568'] });
    expect(r.ok && r.value.errors).toEqual(['checksum']);
  });

  it('decodes vector 1 inside a whole IPv4 packet', () => {
    const packet = encodeIpv4Packet({ src: v4.src, dst: v4.dst, ttl: 255 }, hex(cases[0]!.bytes));
    const r = decodeIpPacket(packet);
    if (!r.ok) throw new Error(r.detail);
    expect(r.value.ip).toEqual(v4);
    expect(r.value.length).toBe(20);
    expect(r.value.errors).toEqual([]);
  });
});

describe('keepalived issue #1175 capture (v3 unicast, docs/protocol.md §2)', () => {
  it('the RFC 5798 pseudo-header uses the unicast peer as destination: checksum 0x9c19', () => {
    const message = encodeAdvert(
      { version: 3, vrid: 88, priority: 198, advertIntervalCs: 100, addresses: ['10.195.76.227'] },
      { family: 4, src: '10.1.0.3', dst: '10.1.0.1' },
    );
    expect(message.readUInt16BE(6)).toBe(0x9c19);
    const r = decodeVrrpMessage(message, { family: 4, src: '10.1.0.3', dst: '10.1.0.1', ttl: 255 });
    expect(r.ok && r.value.checksumForm).toBe('rfc5798');
    // The same bytes checked against the multicast group (keepalived <= 1.3.6's bug) do not verify in that form.
    const wrongDst = decodeVrrpMessage(message, { family: 4, src: '10.1.0.3', dst: '224.0.0.18', ttl: 255 });
    expect(wrongDst.ok && wrongDst.value.errors).toEqual(['checksum']);
  });
});

describe('keepalived 2.2.7 capture (docs/quirks.md Q22)', () => {
  const capture = '45c0002802720000ff70cdb30a63000be0000012213396010101324f0a6300fe7333637233740000';

  it('decodes as v2, VRID 51, priority 150, auth PASS "s3cr3t"', () => {
    const r = decodeIpPacket(hex(capture));
    if (!r.ok) throw new Error(r.detail);
    expect(r.value.ip).toEqual({ family: 4, src: '10.99.0.11', dst: '224.0.0.18', ttl: 255 });
    expect(r.value.advert).toMatchObject({
      version: 2,
      type: 1,
      vrid: 51,
      priority: 150,
      advertIntervalCs: 100,
      authType: 1,
      addresses: ['10.99.0.254'],
    });
    expect(r.value.advert.authData.toString('latin1')).toBe('s3cr3t\0\0');
    expect(r.value.checksum).toBe(0x324f);
    expect(r.value.errors).toEqual([]);
  });

  it('is reproduced byte for byte by encodeAdvert + encodeIpv4Packet (TOS 0xc0, id 0x0272)', () => {
    const payload = encodeAdvert(
      { version: 2, vrid: 51, priority: 150, advertIntervalCs: 100, addresses: ['10.99.0.254'], authPass: 's3cr3t' },
      { family: 4, src: '10.99.0.11', dst: '224.0.0.18' },
    );
    const packet = encodeIpv4Packet({ src: '10.99.0.11', dst: '224.0.0.18', ttl: 255, id: 0x0272 }, payload);
    expect(packet.toString('hex')).toBe(capture);
  });
});
