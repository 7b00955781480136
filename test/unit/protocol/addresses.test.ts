import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToMac,
  canonicalAddress,
  compareAddresses,
  formatIpv6,
  isLinkLocalV6,
  macToBytes,
  ProtocolInputError,
  parseAddress,
  tryParseAddress,
  vmacFor,
} from '../../../src/protocol/index.js';
import { fuzzRuns, fuzzTimeoutMs } from './fuzz-runs.js';

describe('address text ⇄ bytes', () => {
  it.each([
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'], // RFC 5952 §4.1, §4.2.1
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // §4.2.3: first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one zero group is not compressed
    ['2001:DB8::AbC', '2001:db8::abc'], // §4.3 lowercase
    ['2001:db8:0:0:0:1:0:0', '2001:db8::1:0:0'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['fe80:0:0:0:200:5eff:fe00:233', 'fe80::200:5eff:fe00:233'],
    ['::ffff:c0a8:0101', '::ffff:192.168.1.1'], // §5: IPv4-mapped in mixed notation
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['10.99.0.254', '10.99.0.254'],
    ['0.0.0.0', '0.0.0.0'],
  ])('%s → %s', (input, canonical) => {
    expect(canonicalAddress(input)).toBe(canonical);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4 ',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7::8',
    '12345::',
    'fe80::1%eth0',
    '::1.2.3',
    'g::1',
  ])('rejects %j', (text) => {
    expect(tryParseAddress(text)).toBeNull();
    expect(() => parseAddress(text)).toThrow(ProtocolInputError);
  });

  it(
    'IPv6 output matches the WHATWG URL serializer (an independent RFC 5952 implementation)',
    () => {
      const notMapped = fc
        .uint8Array({ minLength: 16, maxLength: 16 })
        .filter((b) => !(b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff));
      // Bias towards zero groups, where compression decisions happen.
      const sparse = fc
        .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
          minLength: 8,
          maxLength: 8,
        })
        .map((groups) => Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff])))
        .filter((b) => !(b[10] === 0xff && b[11] === 0xff));
      fc.assert(
        fc.property(fc.oneof(notMapped, sparse), (bytes) => {
          const text = formatIpv6(bytes);
          const roundTrip = parseAddress(text).bytes;
          return (
            text === new URL(`http://[${text}]/`).hostname.slice(1, -1) && roundTrip.every((b, i) => b === bytes[i])
          );
        }),
        { numRuns: fuzzRuns() },
      );
    },
    fuzzTimeoutMs(),
  );
});

describe('compareAddresses (RFC 9568 §6.4.3 tie-break)', () => {
  it('compares unsigned, in network byte order', () => {
    expect(compareAddresses('10.0.0.2', '10.0.0.10')).toBe(-1);
    expect(compareAddresses('192.168.0.1', '10.255.255.255')).toBe(1); // 0xc0 > 0x0a: no signed-int surprise
    expect(compareAddresses('10.0.0.1', '10.0.0.1')).toBe(0);
    expect(compareAddresses('fe80::1:0', 'fe80::ffff')).toBe(1);
    expect(compareAddresses('fe80::0001', 'fe80::1')).toBe(0);
  });

  it('refuses to compare across families', () => {
    expect(() => compareAddresses('10.0.0.1', 'fe80::1')).toThrow(ProtocolInputError);
  });
});

describe('isLinkLocalV6', () => {
  it('is true exactly for fe80::/10', () => {
    expect(isLinkLocalV6('fe80::1')).toBe(true);
    expect(isLinkLocalV6('febf:ffff::1')).toBe(true);
    expect(isLinkLocalV6('fec0::1')).toBe(false);
    expect(isLinkLocalV6('2001:db8::1')).toBe(false);
    expect(isLinkLocalV6('169.254.0.1')).toBe(false);
  });
});

describe('MAC addresses', () => {
  it('vmacFor gives 00:00:5e:00:01:VRID (IPv4) and 00:00:5e:00:02:VRID (IPv6) (RFC 5798 §7.3)', () => {
    expect(vmacFor(4, 51)).toBe('00:00:5e:00:01:33');
    expect(vmacFor(6, 255)).toBe('00:00:5e:00:02:ff');
    expect(() => vmacFor(4, 0)).toThrow(ProtocolInputError);
    expect(() => vmacFor(4, 256)).toThrow(ProtocolInputError);
  });

  it('macToBytes / bytesToMac round-trip and accept either separator', () => {
    expect(macToBytes('00-00-5E-00-01-33').toString('hex')).toBe('00005e000133');
    expect(bytesToMac(macToBytes('AA:bb:CC:dd:EE:ff'))).toBe('aa:bb:cc:dd:ee:ff');
    expect(() => macToBytes('00:00:5e:00:01')).toThrow(ProtocolInputError);
    expect(() => macToBytes('00:00-5e:00:01:33')).toThrow(ProtocolInputError);
  });
});
