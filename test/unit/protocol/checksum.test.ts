import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checksumVerifies,
  computeVrrpChecksum,
  internetChecksum,
  ipv4PseudoHeader,
  ipv6PseudoHeader,
  onesComplementSum,
  verifyVrrpChecksum,
} from '../../../src/protocol/index.js';
import { fuzzRuns, fuzzTimeoutMs } from './fuzz-runs.js';

describe('RFC 1071 internet checksum', () => {
  it('reproduces the RFC 1071 §3 worked example (sum ddf2)', () => {
    const data = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(onesComplementSum(data)).toBe(0xddf2);
    expect(internetChecksum(data)).toBe(0x220d);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(Uint8Array.of(0x12, 0x34, 0x56))).toBe(~(0x1234 + 0x5600) & 0xffff);
  });

  it('gives a known IPv4 header checksum (0xb861)', () => {
    const header = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
    expect(internetChecksum(header)).toBe(0xb861);
  });

  it(
    'chunks sum as if concatenated, whatever the split points',
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), fc.nat(300), (data, a, b) => {
          const [i, j] = [Math.min(a, b, data.length), Math.min(Math.max(a, b), data.length)];
          expect(internetChecksum(data.subarray(0, i), data.subarray(i, j), data.subarray(j))).toBe(
            internetChecksum(data),
          );
        }),
        { numRuns: fuzzRuns() },
      );
    },
    fuzzTimeoutMs(),
  );

  it(
    'data with its checksum appended verifies; any single bit flip does not',
    () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 2, maxLength: 64 }).filter((d) => d.length % 2 === 0),
          fc.nat(),
          (data, bit) => {
            const withSum = Buffer.concat([data, Buffer.alloc(2)]);
            withSum.writeUInt16BE(internetChecksum(data), data.length);
            expect(checksumVerifies(withSum)).toBe(true);
            const flipped = Buffer.from(withSum);
            const at = bit % (flipped.length * 8);
            flipped[at >> 3] = (flipped[at >> 3] as number) ^ (0x80 >> (at & 7));
            expect(checksumVerifies(flipped)).toBe(false);
          },
        ),
        { numRuns: fuzzRuns() },
      );
    },
    fuzzTimeoutMs(),
  );
});

describe('VRRP checksum forms', () => {
  it('builds the IPv4 pseudo-header src, dst, 0, 112, length', () => {
    expect(ipv4PseudoHeader('192.168.200.1', '224.0.0.18', 12).toString('hex')).toBe('c0a8c801e00000120070000c');
  });

  it('builds the RFC 8200 §8.1 IPv6 pseudo-header with a 32-bit length', () => {
    const ph = ipv6PseudoHeader('fe80::1', 'ff02::12', 40);
    expect(ph.length).toBe(40);
    expect(ph.subarray(32).toString('hex')).toBe('0000002800000070');
  });

  it('computeVrrpChecksum ignores whatever is in bytes 6–7', () => {
    const msg = Buffer.from('31336401006400 00c0a8c810'.replace(/ /g, ''), 'hex');
    const dirty = Buffer.from(msg);
    dirty.writeUInt16BE(0xbeef, 6);
    expect(computeVrrpChecksum(dirty, 'rfc9568')).toBe(computeVrrpChecksum(msg, 'rfc9568'));
    expect(computeVrrpChecksum(msg, 'rfc9568')).toBe(0xe1ad); // docs/protocol.md §2 vector 4
    expect(computeVrrpChecksum(msg, 'rfc5798', '192.168.200.1', '224.0.0.18')).toBe(0x7874); // vector 3
  });

  it('verifyVrrpChecksum accepts 0xffff where the computed checksum is 0x0000 (both zeros, RFC 1071)', () => {
    // 8-byte message whose words sum to 0xffff with a zero checksum field, so the computed checksum is 0.
    const msg = Buffer.from('3133ffff0000000000000000', 'hex').subarray(0, 8);
    msg.writeUInt16BE(0xffff - 0x3133, 4);
    expect(computeVrrpChecksum(msg, 'v2')).toBe(0);
    expect(verifyVrrpChecksum(msg, 'v2')).toBe(true);
    msg.writeUInt16BE(0xffff, 6);
    expect(verifyVrrpChecksum(msg, 'v2')).toBe(true);
  });
});
