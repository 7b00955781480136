import { isIPv4, isIPv6 } from 'node:net';
import type { AddressFamily } from './model.js';

/** Pure address syntax checks (node:net's isIP* are pure string functions; nothing touches the OS). */

export function addressFamily(text: string): AddressFamily | undefined {
  if (isIPv4(text)) return 'ipv4';
  // keepalived accepts a zone suffix only on link-local addresses; vrrpd does not need zones.
  if (isIPv6(text)) return 'ipv6';
  return undefined;
}

export interface ParsedPrefix {
  address: string;
  family: AddressFamily;
  prefixLength: number;
  /** True when the text had an explicit `/LEN`. */
  explicitLength: boolean;
}

export type PrefixResult = { ok: true; value: ParsedPrefix } | { ok: false; message: string };

/** Parses `ADDR[/LEN]`; a missing length is the host length (keepalived's default for VIPs). */
export function parsePrefix(text: string): PrefixResult {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = addressFamily(address);
  if (family === undefined) return { ok: false, message: `invalid IP address '${address}'` };
  const max = family === 'ipv4' ? 32 : 128;
  if (slash < 0) return { ok: true, value: { address, family, prefixLength: max, explicitLength: false } };
  const lenText = text.slice(slash + 1);
  if (!/^\d+$/.test(lenText) || Number(lenText) > max) {
    return { ok: false, message: `invalid prefix length '/${lenText}' for ${address} (0..${max})` };
  }
  return { ok: true, value: { address, family, prefixLength: Number(lenText), explicitLength: true } };
}

/** RFC 4291 link-local fe80::/10. */
export function isIpv6LinkLocal(address: string): boolean {
  return /^fe[89ab][0-9a-f]?:/i.test(address);
}
