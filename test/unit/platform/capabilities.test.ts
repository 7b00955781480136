import { describe, expect, it } from 'vitest';
import { assertCapabilities, hasCapability, parseCapEff, toPlatformError } from '../../../src/platform/capabilities.js';
import { errnoError, errnoName } from '../../../src/platform/errno.js';
import { PlatformError } from '../../../src/util/errors.js';

const sysErr = (code: string) => Object.assign(new Error(`socket ${code}`), { code, syscall: 'socket' });

describe('toPlatformError', () => {
  it('EPERM names the capability and says to run as root', () => {
    const e = toPlatformError(sysErr('EPERM'), {
      action: 'open the IPv4 VRRP socket',
      ifname: 'eth0',
      capability: 'CAP_NET_RAW',
    });
    expect(e).toBeInstanceOf(PlatformError);
    expect(e.code).toBe('EPERM');
    expect(e.message).toBe('cannot open the IPv4 VRRP socket on eth0: vrrpd needs CAP_NET_RAW (run as root)');
  });

  it('ENODEV is "interface does not exist"', () => {
    expect(toPlatformError(sysErr('ENODEV'), { action: 'x', ifname: 'eth9' })).toMatchObject({
      code: 'ENODEV',
      message: "interface 'eth9' does not exist",
    });
  });

  it.each([
    ['EADDRNOTAVAIL', /10\.0\.0\.1 is not configured on eth0/],
    ['EADDRINUSE', /already in use/],
    ['EEXIST', /already exists/],
    ['ENETDOWN', /interface 'eth0' is down/],
    ['ENETUNREACH', /no route to 10\.0\.0\.1/],
    ['EINVAL', /tentative \(DAD\)/],
    ['ENOBUFS', /socket buffer full/],
    ['EWHATEVER', /cannot send on eth0: socket EWHATEVER/],
  ])('%s', (code, re) => {
    const e = toPlatformError(sysErr(code), { action: 'send', ifname: 'eth0', address: '10.0.0.1' });
    expect(e.code).toBe(code);
    expect(e.message).toMatch(re);
    expect(e.message).not.toContain('\n');
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('passes PlatformErrors through unchanged', () => {
    const p = new PlatformError('x', 'ENODEV');
    expect(toPlatformError(p, { action: 'y' })).toBe(p);
  });
});

describe('errno', () => {
  it('maps numbers to names, either sign', () => {
    expect(errnoName(1)).toBe('EPERM');
    expect(errnoName(-19)).toBe('ENODEV');
    expect(errnoName(99)).toBe('EADDRNOTAVAIL');
    expect(errnoError(-17, 'rtnetlink(RTM_NEWADDR)', 'File exists')).toMatchObject({
      code: 'EEXIST',
      errno: 17,
      syscall: 'rtnetlink(RTM_NEWADDR)',
      message: 'rtnetlink(RTM_NEWADDR) EEXIST: File exists',
    });
  });
});

describe('capabilities', () => {
  const status = (capEff: string) =>
    `Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\nCapBnd:\t000001ffffffffff\n`;

  it('parses CapEff', () => {
    expect(parseCapEff(status('000001ffffffffff'))).toBe(0x1ffffffffffn);
    expect(parseCapEff('Name: x\n')).toBeUndefined();
  });

  it('checks CAP_NET_RAW (13) and CAP_NET_ADMIN (12)', () => {
    expect(hasCapability('CAP_NET_RAW', status('0000000000002000'))).toBe(true);
    expect(hasCapability('CAP_NET_ADMIN', status('0000000000002000'))).toBe(false);
    expect(hasCapability('CAP_NET_ADMIN', status('0000000000001000'))).toBe(true);
  });

  it('assertCapabilities names every missing capability in one EPERM error', () => {
    expect(() => assertCapabilities(undefined, status('0000000000000000'))).toThrow(
      new PlatformError('vrrpd needs CAP_NET_RAW and CAP_NET_ADMIN (run as root)', 'EPERM'),
    );
    expect(() => assertCapabilities(['CAP_NET_RAW'], status('0000000000003000'))).not.toThrow();
  });
});
