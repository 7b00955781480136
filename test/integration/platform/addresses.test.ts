import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAddress, listAddresses, removeAddress } from '../../../src/platform/addresses.js';
import { interfaceInfo } from '../../../src/platform/interfaces.js';
import { withNetns } from '../../../src/platform/netns.js';
import { PlatformError } from '../../../src/util/errors.js';
import { createVethPair, nsExec, type VethPair } from './fixture.js';

let pair: VethPair;
beforeAll(async () => {
  pair = await createVethPair();
});
afterAll(async () => {
  await pair?.destroy();
});

const inA = <T>(fn: () => T): T => withNetns(pair.nsA, fn);

/** What iproute2 sees, to check our netlink requests against the reference tool. */
async function ipAddrs(
  ns: string,
  ifname: string,
): Promise<
  {
    local: string;
    prefixlen: number;
    family: string;
    secondary?: boolean;
    tentative?: boolean;
    noprefixroute?: boolean;
    broadcast?: string;
  }[]
> {
  const { stdout } = await execa('ip', ['-n', ns, '-j', 'addr', 'show', 'dev', ifname]);
  return JSON.parse(stdout)[0].addr_info;
}

describe('addresses', () => {
  it('adds an IPv4 VIP as iproute2 would (secondary in the same subnet), idempotently', async () => {
    const vip = `${pair.v4Prefix}.254/24`;
    expect(inA(() => addAddress(pair.ifA, vip))).toBe(true);
    expect(inA(() => addAddress(pair.ifA, vip))).toBe(false);
    const ours = inA(() => listAddresses(pair.ifA)).filter((a) => a.family === 4);
    expect(ours.map((a) => [a.cidr, a.secondary])).toEqual([
      [`${pair.v4A}/24`, false],
      [vip, true],
    ]);
    const theirs = (await ipAddrs(pair.nsA, pair.ifA)).filter((a) => a.family === 'inet');
    expect(theirs.find((a) => a.local === `${pair.v4Prefix}.254`)).toMatchObject({ prefixlen: 24, secondary: true });
    expect(theirs.find((a) => a.local === `${pair.v4Prefix}.254`)?.broadcast).toBeUndefined();
    expect(inA(() => interfaceInfo(pair.ifA)).ipv4).toEqual([pair.v4A, `${pair.v4Prefix}.254`]);
    // The connected route is still there, and no duplicate for the VIP.
    const routes = await nsExec(pair.nsA, 'ip', ['-4', 'route', 'show', 'dev', pair.ifA]);
    expect(routes.trim().split('\n')).toHaveLength(1);

    expect(inA(() => removeAddress(pair.ifA, vip))).toBe(true);
    expect(inA(() => removeAddress(pair.ifA, vip))).toBe(false);
    expect(inA(() => interfaceInfo(pair.ifA)).ipv4).toEqual([pair.v4A]);
  });

  it('adds a /32 VIP and honours noPrefixRoute', async () => {
    expect(inA(() => addAddress(pair.ifA, '10.212.0.1'))).toBe(true);
    expect(inA(() => addAddress(pair.ifA, '10.213.0.1/24', { noPrefixRoute: true }))).toBe(true);
    const theirs = await ipAddrs(pair.nsA, pair.ifA);
    expect(theirs.find((a) => a.local === '10.212.0.1')).toMatchObject({ prefixlen: 32 });
    expect(theirs.find((a) => a.local === '10.213.0.1')).toMatchObject({ prefixlen: 24, noprefixroute: true });
    const routes = await nsExec(pair.nsA, 'ip', ['-4', 'route', 'show', 'dev', pair.ifA]);
    expect(routes).not.toContain('10.213.0.0/24');
    // A bare address removes whatever prefix is configured.
    expect(inA(() => removeAddress(pair.ifA, '10.212.0.1'))).toBe(true);
    expect(inA(() => removeAddress(pair.ifA, '10.213.0.1'))).toBe(true);
    expect(inA(() => listAddresses(pair.ifA)).map((a) => a.address)).not.toContain('10.213.0.1');
  });

  it('adds IPv6 VIPs with nodad (never tentative) while DAD is on', async () => {
    await nsExec(pair.nsA, 'sysctl', ['-qw', `net.ipv6.conf.${pair.ifA}.accept_dad=1`]);
    try {
      const withDad = `${pair.v6Prefix}::1/64`;
      const noDad = `${pair.v6Prefix}::2/64`;
      expect(inA(() => addAddress(pair.ifA, withDad))).toBe(true);
      expect(inA(() => addAddress(pair.ifA, noDad, { noDad: true }))).toBe(true);
      const list = inA(() => listAddresses(pair.ifA)).filter((a) => a.family === 6);
      expect(list.find((a) => a.cidr === noDad)).toMatchObject({ tentative: false, scope: 'global' });
      expect(list.find((a) => a.cidr === withDad)).toMatchObject({ tentative: true });
      const theirs = await ipAddrs(pair.nsA, pair.ifA);
      expect(theirs.find((a) => a.local === `${pair.v6Prefix}::2`)).toMatchObject({ prefixlen: 64 });
      expect(theirs.find((a) => a.local === `${pair.v6Prefix}::2`)?.tentative).toBeUndefined();
      const info = inA(() => interfaceInfo(pair.ifA));
      expect(info.ipv6LinkLocal).toBe(pair.llA);
      expect(info.ipv6).toEqual(expect.arrayContaining([`${pair.v6Prefix}::1`, `${pair.v6Prefix}::2`]));
      expect(inA(() => removeAddress(pair.ifA, noDad))).toBe(true);
      expect(inA(() => removeAddress(pair.ifA, `${pair.v6Prefix}::1`))).toBe(true);
      expect(inA(() => removeAddress(pair.ifA, noDad))).toBe(false);
    } finally {
      await nsExec(pair.nsA, 'sysctl', ['-qw', `net.ipv6.conf.${pair.ifA}.accept_dad=0`]);
    }
  });

  it('interfaceInfo reports the MAC, index and state', async () => {
    const info = inA(() => interfaceInfo(pair.ifA));
    const { stdout } = await execa('ip', ['-n', pair.nsA, '-j', 'link', 'show', 'dev', pair.ifA]);
    const link = JSON.parse(stdout)[0];
    expect(info).toMatchObject({
      ifname: pair.ifA,
      ifindex: link.ifindex,
      mac: link.address,
      up: true,
      operstate: 'UP',
    });
  });

  it('a missing interface is a clear ENODEV PlatformError; removal from it is a no-op', () => {
    const fns: (() => unknown)[] = [
      () => interfaceInfo('vptnope0'),
      () => addAddress('vptnope0', '10.0.0.1/24'),
      () => listAddresses('vptnope0'),
    ];
    for (const f of fns) {
      expect(() => inA(f)).toThrow(new PlatformError("interface 'vptnope0' does not exist", 'ENODEV'));
    }
    expect(inA(() => removeAddress('vptnope0', '10.0.0.1/24'))).toBe(false);
  });

  it('rejects malformed CIDRs before touching the kernel', () => {
    expect(() => inA(() => addAddress(pair.ifA, '10.0.0.1/33'))).toThrow(/not an address\/prefix/);
    expect(() => inA(() => addAddress(pair.ifA, 'vip'))).toThrow(/not an address\/prefix/);
  });
});
