import { isIPv4, isIPv6 } from 'node:net';
import { VrrpLabError } from '../../src/util/errors.js';

/**
 * VIPs arrive in whatever form a topology file used ("10.0.0.254/24", "FD00::FE"); /proc prints IPv6 as
 * 32 hex digits. Everything is compared on one key per address so both sides agree.
 */
export type VipFamily = 4 | 6;

export interface VipKey {
  /** The VIP exactly as the caller gave it, minus any "/prefix": this is what events report. */
  vip: string;
  family: VipFamily;
  /** IPv4 dotted quad, or IPv6 as 32 lowercase hex digits (the /proc/net/if_inet6 form). */
  key: string;
}

export function vipKey(input: string): VipKey {
  const vip = input.split('/')[0]!.trim();
  if (isIPv4(vip)) return { vip, family: 4, key: vip };
  if (isIPv6(vip)) return { vip, family: 6, key: ipv6ToHex(vip) };
  throw new VrrpLabError(`not an IP address: ${JSON.stringify(input)}`);
}

/** Expand an IPv6 address (any valid text form, including "::ffff:1.2.3.4") to 32 hex digits. */
export function ipv6ToHex(addr: string): string {
  let text = addr.toLowerCase().split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1]!.split('.').map(Number);
    const hi = ((o[0]! << 8) | o[1]!).toString(16);
    const lo = ((o[2]! << 8) | o[3]!).toString(16);
    text = `${text.slice(0, v4.index)}${hi}:${lo}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.padStart(4, '0')).join('');
}
