import { describe, expect, it } from 'vitest';
import { bytesToIp, ipFamily, ipToBytes, parseCidr } from '../../../src/platform/ip-bytes.js';

describe('ipToBytes / bytesToIp', () => {
  it.each([
    ['10.0.0.254', '0a0000fe'],
    ['fe80::1', 'fe800000000000000000000000000001'],
    ['ff02::12', 'ff020000000000000000000000000012'],
    ['::', '00000000000000000000000000000000'],
    ['2001:db8::', '20010db8000000000000000000000000'],
    ['::ffff:10.1.2.3', '00000000000000000000ffff0a010203'],
  ])('%s', (ip, hex) => {
    expect(ipToBytes(ip).toString('hex')).toBe(hex);
    expect(bytesToIp(Buffer.from(hex, 'hex'))).toBe(ip === '::ffff:10.1.2.3' ? '::ffff:a01:203' : ip);
  });

  it('strips a zone index', () => {
    expect(ipToBytes('fe80::a%eth0').toString('hex')).toBe('fe80000000000000000000000000000a');
  });

  it('formats per RFC 5952: longest zero run, first on a tie, no :: for a single zero group', () => {
    expect(bytesToIp(ipToBytes('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(bytesToIp(ipToBytes('2001:0:0:1:0:0:0:1'))).toBe('2001:0:0:1::1');
    expect(bytesToIp(ipToBytes('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(bytesToIp(ipToBytes('2001:DB8::A'))).toBe('2001:db8::a');
  });

  it('rejects non-addresses', () => {
    expect(() => ipToBytes('eth0')).toThrow(TypeError);
    expect(() => bytesToIp(Buffer.alloc(5))).toThrow(TypeError);
    expect(ipFamily('1.2.3.4')).toBe(4);
    expect(ipFamily('::1')).toBe(6);
    expect(ipFamily('x')).toBeUndefined();
  });
});

describe('parseCidr', () => {
  it('parses and normalizes', () => {
    expect(parseCidr('10.0.0.1/24')).toEqual({ family: 4, address: '10.0.0.1', prefixLength: 24 });
    expect(parseCidr('2001:DB8:0::1/64')).toEqual({ family: 6, address: '2001:db8::1', prefixLength: 64 });
  });

  it('defaults to a host prefix', () => {
    expect(parseCidr('10.0.0.1').prefixLength).toBe(32);
    expect(parseCidr('fe80::1').prefixLength).toBe(128);
  });

  it.each(['10.0.0.1/33', 'fe80::1/129', '10.0.0.1/', '10.0.0.1/2/3', '10.0.0.1/x', 'vip/24'])('rejects %s', (c) => {
    expect(() => parseCidr(c)).toThrow(/not an address\/prefix/);
  });
});
