import { describe, expect, it } from 'vitest';
import { addressBytes, compareAddresses } from '../../../src/core/address-compare.js';

describe('compareAddresses (RFC 9568 §6.4.3: unsigned, network byte order)', () => {
  it('compares IPv4 numerically: 10.0.0.10 > 10.0.0.2 although the strings sort the other way', () => {
    expect('10.0.0.10' < '10.0.0.2').toBe(true);
    expect(compareAddresses('10.0.0.10', '10.0.0.2')).toBe(1);
    expect(compareAddresses('10.0.0.2', '10.0.0.10')).toBe(-1);
    expect(compareAddresses('10.0.0.2', '10.0.0.2')).toBe(0);
  });

  it('treats the first octet as most significant and bytes as unsigned', () => {
    expect(compareAddresses('200.0.0.1', '100.255.255.255')).toBe(1);
    expect(compareAddresses('128.0.0.0', '127.255.255.255')).toBe(1);
  });

  it('compares IPv6 numerically, including "::" expansion', () => {
    expect('fe80::1:0' < 'fe80::ffff').toBe(true);
    expect(compareAddresses('fe80::1:0', 'fe80::ffff')).toBe(1);
    expect(compareAddresses('fe80::10', 'fe80::9')).toBe(1);
    expect(compareAddresses('fe80:0:0:0:0:0:0:1', 'fe80::1')).toBe(0);
    expect(compareAddresses('fe80::1%kaeth0', 'fe80::2')).toBe(-1);
  });

  it('parses embedded IPv4 and all-zero forms', () => {
    expect(Array.from(addressBytes('::ffff:10.0.0.2') ?? [])).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, 0, 2,
    ]);
    expect(Array.from(addressBytes('::') ?? [])).toEqual(new Array(16).fill(0));
    expect(Array.from(addressBytes('1::') ?? []).slice(0, 2)).toEqual([0, 1]);
  });

  it('returns null for mixed families and malformed text, so nobody wins on garbage', () => {
    expect(compareAddresses('10.0.0.2', 'fe80::1')).toBeNull();
    for (const bad of ['10.0.0', '10.0.0.256', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', 'fe80::g', '', 'x']) {
      expect(addressBytes(bad), bad).toBeNull();
    }
  });
});
