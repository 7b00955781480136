import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeIpPacket,
  decodeVrrpMessage,
  encodeAdvert,
  encodeIpv4Packet,
  encodeIpv6Packet,
  verifyVrrpChecksum,
  WIRE_REASONS,
} from '../../../src/protocol/index.js';
import { type AdvertCase, advertCase } from './arbitraries.js';
import { fuzzRuns, fuzzTimeoutMs } from './fuzz-runs.js';

const runs = fuzzRuns();

function packetFor(c: AdvertCase): Buffer {
  const message = encodeAdvert(c.advert, { family: c.family, src: c.src, dst: c.dst, checksumForm: c.form });
  return c.family === 4
    ? encodeIpv4Packet({ src: c.src, dst: c.dst, ttl: 255 }, message)
    : encodeIpv6Packet({ src: c.src, dst: c.dst, hopLimit: 255 }, message);
}

describe('property: encode ∘ decode', () => {
  it(
    'decode(encode(advert)) gives back the advert, wire-valid, for v2, v3/IPv4 (both forms) and v3/IPv6',
    () => {
      fc.assert(
        fc.property(advertCase, (c) => {
          const r = decodeIpPacket(packetFor(c));
          if (!r.ok) return false;
          const d = r.value;
          expect(d.errors).toEqual([]);
          expect(d.ip).toEqual({ family: c.family, src: c.src, dst: c.dst, ttl: 255 });
          expect({ ...d.advert, authData: Uint8Array.from(d.advert.authData) }).toEqual({
            ...c.advert,
            authData: Uint8Array.from(c.advert.authData),
          });
          const sent = c.advert.version === 2 ? 'v2' : c.family === 6 ? 'ipv6' : c.form;
          // When the IPv4 pseudo-header sums to zero (about 1 in 65535 packets) both v3 forms verify and the decoder
          // names the first accepted one, 'rfc5798'; anywhere else the form must be the one that was sent.
          const message = packetFor(c).subarray(c.family === 4 ? 20 : 40);
          const ambiguous =
            sent === c.form &&
            verifyVrrpChecksum(message, 'rfc5798', c.src, c.dst) &&
            verifyVrrpChecksum(message, 'rfc9568');
          expect(d.checksumForm).toBe(ambiguous ? 'rfc5798' : sent);
          return true;
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(),
  );

  it(
    'encode(decode(packet)) reproduces the bytes',
    () => {
      fc.assert(
        fc.property(advertCase, (c) => {
          const packet = packetFor(c);
          const r = decodeIpPacket(packet);
          if (!r.ok) return false;
          const again = packetFor({ ...c, advert: { ...r.value.advert, authData: r.value.advert.authData } });
          return again.equals(packet);
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(),
  );

  it(
    'any single bit flip inside the VRRP message makes it invalid (RFC 1071 detects all 1-bit errors)',
    () => {
      fc.assert(
        fc.property(advertCase, fc.nat(), (c, bit) => {
          const packet = packetFor(c);
          const header = c.family === 4 ? 20 : 40;
          const at = header * 8 + (bit % ((packet.length - header) * 8));
          packet[at >> 3] = (packet[at >> 3] as number) ^ (0x80 >> (at & 7));
          // Accept only the form that was sent: with both accepted, a flip can (rarely) turn one form into the other.
          const r = decodeIpPacket(packet, { acceptedV3Ipv4Forms: [c.form] });
          return r.ok && r.value.errors.length > 0;
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(),
  );
});

describe('property: decoding never throws', () => {
  it(
    'on random bytes, and what it returns is well-formed',
    () => {
      const ipLike = fc
        .tuple(fc.constantFrom(0x45, 0x46, 0x4f, 0x60, 0x00), fc.uint8Array({ maxLength: 200 }))
        .map(([first, rest]) => {
          const b = Uint8Array.from([first, ...rest]);
          if (b.length > 9 && first >> 4 === 4) b[9] = 112;
          if (b.length > 6 && first >> 4 === 6) b[6] = 112;
          return b;
        });
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), ipLike), (bytes) => {
          const r = decodeIpPacket(bytes);
          if (r.ok) return r.value.errors.every((e) => WIRE_REASONS.includes(e));
          return ['not-ip', 'not-vrrp', 'truncated'].includes(r.reason);
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(),
  );

  it(
    'on mutated valid packets (byte edits, truncation, extension)',
    () => {
      const mutated = fc
        .tuple(
          advertCase,
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
          fc.integer({ min: -30, max: 30 }),
        )
        .map(([c, edits, resize]) => {
          const p = packetFor(c);
          for (const [at, value] of edits) p[at % p.length] = value;
          return resize < 0
            ? p.subarray(0, Math.max(0, p.length + resize))
            : Buffer.concat([p, Buffer.alloc(resize, 0xab)]);
        });
      fc.assert(
        fc.property(mutated, (bytes) => {
          decodeIpPacket(bytes);
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(),
  );

  it(
    'decodeVrrpMessage on random payloads with arbitrary (even nonsensical) IpMeta',
    () => {
      const meta = fc.record({
        family: fc.constantFrom(4 as const, 6 as const),
        src: fc.oneof(fc.constant('10.0.0.1'), fc.constant('fe80::1'), fc.string({ maxLength: 10 })),
        dst: fc.oneof(fc.constant('224.0.0.18'), fc.constant('ff02::12'), fc.string({ maxLength: 10 })),
        ttl: fc.integer({ min: -1, max: 300 }),
      });
      const payload = fc
        .tuple(fc.constantFrom(0x21, 0x31, 0x41, 0x01), fc.uint8Array({ maxLength: 120 }))
        .map(([first, rest]) => Uint8Array.from([first, ...rest]));
      fc.assert(
        fc.property(fc.oneof(payload, fc.uint8Array({ maxLength: 40 })), meta, (bytes, ip) => {
          const r = decodeVrrpMessage(bytes, ip);
          return r.ok || r.reason === 'truncated';
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(),
  );
});
