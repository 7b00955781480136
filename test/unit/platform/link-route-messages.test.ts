import { describe, expect, test } from 'vitest';
import {
  addrGenModeNoneBody,
  IPV4_DEVCONF,
  newMacvlanBody,
  parseLinkDetails,
  setIpv4DevconfBody,
} from '../../../src/platform/netlink/link-messages.js';
import { parseAttrs, RTM_NEWLINK } from '../../../src/platform/netlink/messages.js';
import { routeBody, ruleBody } from '../../../src/platform/netlink/route-messages.js';
import { tableRuleset } from '../../../src/platform/nftables.js';

const attrs = (b: Buffer, hdr: number) => parseAttrs(b.subarray(hdr));

describe('macvlan link messages', () => {
  test('create: parent, name, MAC and private mode nested in IFLA_LINKINFO; read back by parseLinkDetails', () => {
    const body = newMacvlanBody({ name: 'vrrp.51', parentIndex: 7, mac: '00:00:5e:00:01:33', mode: 'private' });
    const a = attrs(body, 16);
    expect(a.get(5)?.readUInt32LE(0)).toBe(7); // IFLA_LINK
    expect(a.get(3)?.toString()).toBe('vrrp.51\0'); // IFLA_IFNAME
    expect(a.get(1)?.toString('hex')).toBe('00005e000133'); // IFLA_ADDRESS
    const d = parseLinkDetails({ type: RTM_NEWLINK, flags: 0, seq: 1, pid: 0, payload: body });
    expect(d).toMatchObject({ parentIndex: 7, kind: 'macvlan', macvlanMode: 'private' });
  });

  test('devconf: IFLA_AF_SPEC/AF_INET/IFLA_INET_CONF entries keyed by IPV4_DEVCONF id', () => {
    const body = setIpv4DevconfBody(3, { arp_ignore: 1, rp_filter: 0 });
    const conf = parseAttrs(parseAttrs(attrs(body, 16).get(26)!).get(2)!).get(1)!;
    const entries = parseAttrs(conf);
    expect(entries.get(IPV4_DEVCONF.arp_ignore)?.readUInt32LE(0)).toBe(1);
    expect(entries.get(IPV4_DEVCONF.rp_filter)?.readUInt32LE(0)).toBe(0);
    const gen = parseAttrs(parseAttrs(attrs(addrGenModeNoneBody(3), 16).get(26)!).get(10)!).get(8);
    expect(gen?.[0]).toBe(1); // IN6_ADDR_GEN_MODE_NONE
  });
});

describe('route and rule messages', () => {
  test('route: rtmsg fields and attributes, table > 255 only in RTA_TABLE, delete with scope NOWHERE', () => {
    const r = {
      family: 4 as const,
      dst: '10.1.0.0/16',
      type: 'unicast' as const,
      via: '10.0.0.254',
      src: '10.0.0.100',
      oif: 2,
      table: 1000,
      metric: 7,
      scope: 0,
      protocol: 18,
      onlink: false,
    };
    const b = routeBody(r);
    expect([...b.subarray(0, 8)]).toEqual([2, 16, 0, 0, 0, 18, 0, 1]);
    const a = attrs(b, 12);
    expect(a.get(15)?.readUInt32LE(0)).toBe(1000);
    expect([...a.get(1)!]).toEqual([10, 1, 0, 0]);
    expect([...a.get(5)!]).toEqual([10, 0, 0, 254]);
    expect([...a.get(7)!]).toEqual([10, 0, 0, 100]);
    expect(a.get(6)?.readUInt32LE(0)).toBe(7);
    expect(routeBody(r, true)[6]).toBe(255);
    const mp = attrs(
      routeBody({ ...r, via: undefined, nexthops: [{ via: '10.0.0.1', weight: 3 }, { oif: 4 }] }),
      12,
    ).get(9)!;
    expect(mp.readUInt16LE(0)).toBe(16); // rtnexthop + RTA_GATEWAY
    expect(mp[3]).toBe(2); // hops = weight - 1
    expect(mp.readInt32LE(16 + 4)).toBe(4);
  });

  test('rule: action, table, selectors, invert flag and protocol', () => {
    const b = ruleBody({
      family: 4,
      from: '10.0.0.0/24',
      not: true,
      action: 'table',
      table: 100,
      priority: 50,
      iif: 'eth0',
      fwmark: 16,
      fwmask: 255,
      protocol: 18,
    });
    expect([...b.subarray(0, 8)]).toEqual([2, 0, 24, 0, 100, 0, 0, 1]);
    expect(b.readUInt32LE(8)).toBe(2);
    const a = attrs(b, 12);
    expect(a.get(6)?.readUInt32LE(0)).toBe(50);
    expect(a.get(3)?.toString()).toBe('eth0\0');
    expect(a.get(21)?.[0]).toBe(18);
    expect(ruleBody({ family: 4, not: false, action: 'blackhole' })[7]).toBe(6);
  });
});

test('the nftables table: input drops to the VIPs, output drops from them, ND accepted first for IPv6', () => {
  expect(tableRuleset(4)).toContain('ip daddr @vips drop');
  expect(tableRuleset(4)).toContain('ip saddr @vips drop');
  const v6 = tableRuleset(6);
  expect(v6.indexOf('nd-neighbor-solicit')).toBeLessThan(v6.indexOf('ip6 daddr @vips drop'));
});
