import { describe, expect, it } from 'vitest';
import { parseMonitorLine } from '../../../harness/observers/address-monitor.js';
import { parseFibTrieLocal } from '../../../harness/observers/fib-trie.js';
import { IFA_F_TENTATIVE, parseIfInet6, usableInet6 } from '../../../harness/observers/if-inet6.js';
import { ipv6ToHex, vipKey } from '../../../harness/observers/ip-text.js';
import { FIB_TRIE_WITH_VIP, IF_INET6_WITH_VIP, MONITOR_LINES } from './proc-fixtures.js';

describe('parseFibTrieLocal', () => {
  it('finds the /32 host LOCAL leaves, including the VIP, once each', () => {
    expect([...parseFibTrieLocal(FIB_TRIE_WITH_VIP)].sort()).toEqual(['10.98.0.11', '10.98.0.254', '127.0.0.1']);
  });

  it('ignores broadcast, network and the /8 loopback route', () => {
    const local = parseFibTrieLocal(FIB_TRIE_WITH_VIP);
    for (const a of ['10.98.0.255', '10.98.0.0', '127.0.0.0', '127.255.255.255']) expect(local.has(a)).toBe(false);
  });

  it('sees the VIP disappear when its leaf is gone', () => {
    const without = FIB_TRIE_WITH_VIP.replaceAll('|-- 10.98.0.254\n              /32 host LOCAL\n', '');
    expect(parseFibTrieLocal(without).has('10.98.0.254')).toBe(false);
  });

  it('returns an empty set for empty text', () => {
    expect(parseFibTrieLocal('').size).toBe(0);
  });
});

describe('parseIfInet6 / usableInet6', () => {
  it('parses every field as hex', () => {
    const entries = parseIfInet6(IF_INET6_WITH_VIP);
    expect(entries).toHaveLength(4);
    expect(entries[0]).toEqual({
      hex: 'fd0000980000000000000000000000fe',
      ifindex: 2,
      prefixLen: 64,
      scope: 0,
      flags: 0x82,
      ifname: 'eth0',
    });
    expect(entries[3]!.scope).toBe(0x20);
  });

  it('leaves out tentative addresses (link-local still in DAD)', () => {
    const usable = usableInet6(IF_INET6_WITH_VIP);
    expect(usable.has(ipv6ToHex('fd00:98::fe'))).toBe(true);
    expect(usable.has('fe8000000000000040cb9cfffe221dee')).toBe(false);
    expect(parseIfInet6(IF_INET6_WITH_VIP)[3]!.flags & IFA_F_TENTATIVE).toBeTruthy();
  });
});

describe('vipKey / ipv6ToHex', () => {
  it('strips the prefix and normalises IPv6', () => {
    expect(vipKey('10.0.0.254/24')).toEqual({ vip: '10.0.0.254', family: 4, key: '10.0.0.254' });
    expect(vipKey('FD00:98::FE/64')).toEqual({
      vip: 'FD00:98::FE',
      family: 6,
      key: 'fd0000980000000000000000000000fe',
    });
  });

  it('expands every IPv6 text form', () => {
    expect(ipv6ToHex('::1')).toBe('00000000000000000000000000000001');
    expect(ipv6ToHex('::')).toBe('0'.repeat(32));
    expect(ipv6ToHex('fe80::')).toBe('fe80' + '0'.repeat(28));
    expect(ipv6ToHex('::ffff:10.1.2.3')).toBe('00000000000000000000ffff0a010203');
    expect(ipv6ToHex('1:2:3:4:5:6:7:8')).toBe('00010002000300040005000600070008');
  });

  it('rejects non-addresses', () => {
    expect(() => vipKey('vip.example')).toThrow(/not an IP address/);
  });
});

describe('parseMonitorLine', () => {
  it('parses adds and deletes with µs UTC timestamps, and skips continuation lines', () => {
    const evs = MONITOR_LINES.split('\n')
      .map(parseMonitorLine)
      .filter((e) => e !== undefined);
    expect(evs.map((e) => [e.deleted, e.family, e.address, e.prefixLen])).toEqual([
      [false, 4, '10.98.0.254', 24],
      [true, 4, '10.98.0.254', 24],
      [false, 6, 'fd00:98::fe', 64],
      [true, 6, 'fd00:98::fe', 64],
    ]);
    expect(evs[0]!.wallMs).toBeCloseTo(Date.UTC(2026, 10, 25, 14, 50, 50) + 322.311, 3);
  });

  it('marks tentative IPv6 adds', () => {
    const e = parseMonitorLine('[2026-11-25T14:50:50.000001] 2: eth0    inet6 fd00::fe/64 scope global tentative ');
    expect(e?.tentative).toBe(true);
  });
});
