import { describe, expect, it } from 'vitest';
import type { VirtualIpAddress } from '../../../src/config/model.js';
import { vipSpec } from '../../../src/runtime/vip-spec.js';

const pos = { file: 'k.conf', line: 1, column: 1 };
const vip = (o: Partial<VirtualIpAddress> & Pick<VirtualIpAddress, 'address'>): VirtualIpAddress => ({
  family: o.address.includes(':') ? 'ipv6' : 'ipv4',
  prefixLength: o.address.includes(':') ? 128 : 32,
  noTrack: false,
  extraOptions: [],
  pos,
  ...o,
});

describe('vipSpec: keepalived 2.2.7 meaning of a virtual_ipaddress line', () => {
  it('IPv4: dev default, brd + / - computed from the prefix, scope names, label', () => {
    expect(
      vipSpec(vip({ address: '10.0.0.254', prefixLength: 24, brd: '+', scope: 'site', label: 'eth0:1' }), 'eth0'),
    ).toEqual({
      cidr: '10.0.0.254/24',
      address: '10.0.0.254',
      family: 4,
      dev: 'eth0',
      options: { broadcast: '10.0.0.255', scope: 200, label: 'eth0:1' },
      noTrack: false,
    });
    expect(vipSpec(vip({ address: '10.0.0.254', prefixLength: 24, brd: '-', dev: 'eth1' }), 'eth0')).toMatchObject({
      dev: 'eth1',
      options: { broadcast: '10.0.0.0' },
    });
    // keepalived computes no broadcast for /31 and /32.
    expect(vipSpec(vip({ address: '10.0.0.254', brd: '+' }), 'eth0').options.broadcast).toBeUndefined();
    expect(vipSpec(vip({ address: '10.0.0.254', scope: '253' }), 'eth0').options.scope).toBe(253);
  });

  it('flags: noprefixroute, home, mngtmpaddr, autojoin; no_track', () => {
    const s = vipSpec(
      vip({ address: '10.0.0.254', extraOptions: ['noprefixroute', 'home', 'autojoin'], noTrack: true }),
      'eth0',
    );
    expect(s.options).toEqual({ noPrefixRoute: true, flags: 0x10 | 0x400 });
    expect(s.noTrack).toBe(true);
  });

  it('IPv6: no DAD unless -nodad, preferred_lft 0 for a /128 by default and forever otherwise; no scope or label', () => {
    expect(vipSpec(vip({ address: 'fd00::1', scope: 'site', label: 'x' }), 'eth0').options).toEqual({
      noDad: true,
      preferredLft: 0,
    });
    expect(vipSpec(vip({ address: 'fd00::1', prefixLength: 64 }), 'eth0').options).toEqual({
      noDad: true,
      preferredLft: 0xffffffff,
    });
    expect(
      vipSpec(vip({ address: 'fd00::1', extraOptions: ['preferred_lft', '30', '-nodad'] }), 'eth0').options,
    ).toEqual({
      preferredLft: 30,
    });
    expect(
      vipSpec(vip({ address: 'fd00::1', extraOptions: ['preferred_lft', 'forever'] }), 'eth0').options.preferredLft,
    ).toBe(0xffffffff);
  });
});
