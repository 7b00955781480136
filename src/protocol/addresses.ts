import { ProtocolInputError } from './errors.js';
import type { Family } from './types.js';

/**
 * IPv4/IPv6 text ⇄ bytes without external libraries. Output is canonical: dotted decimal for IPv4 and
 * RFC 5952 for IPv6, so two spellings of one address compare equal as strings.
 */

export interface ParsedAddress {
  family: Family;
  bytes: Uint8Array;
}

const IPV4_TEXT = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;

function parseIpv4OrNull(text: string): Uint8Array | null {
  const m = IPV4_TEXT.exec(text);
  if (!m) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = m[i + 1] as string;
    // Leading zeros are rejected: inet_aton would read "010" as octal 8, inet_pton rejects it.
    if (part.length > 1 && part.startsWith('0')) return null;
    const n = Number(part);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseGroups(part: string, allowIpv4Tail: boolean): number[] | null {
  if (part === '') return [];
  const pieces = part.split(':');
  const groups: number[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as string;
    if (allowIpv4Tail && i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4OrNull(piece);
      if (!v4) return null;
      groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
    } else {
      if (!HEX_GROUP.test(piece)) return null;
      groups.push(Number.parseInt(piece, 16));
    }
  }
  return groups;
}

function parseIpv6OrNull(input: string): Uint8Array | null {
  const text = input.toLowerCase();
  // Zone indices ("fe80::1%eth0") are an API artefact; they never appear in a packet.
  if (text.includes('%')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] as string, false);
    const tail = parseGroups(halves[1] as string, true);
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (all?.length !== 8) return null;
    groups = all;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** Parses IPv4 or IPv6 text; null if it is neither. */
export function tryParseAddress(text: string): ParsedAddress | null {
  const v4 = parseIpv4OrNull(text);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIpv6OrNull(text);
  if (v6) return { family: 6, bytes: v6 };
  return null;
}

export function parseAddress(text: string): ParsedAddress {
  const parsed = tryParseAddress(text);
  if (!parsed) throw new ProtocolInputError(`not an IPv4 or IPv6 address: ${JSON.stringify(text)}`);
  return parsed;
}

export function parseIpv4(text: string): Uint8Array {
  const bytes = parseIpv4OrNull(text);
  if (!bytes) throw new ProtocolInputError(`not an IPv4 address: ${JSON.stringify(text)}`);
  return bytes;
}

export function parseIpv6(text: string): Uint8Array {
  const bytes = parseIpv6OrNull(text);
  if (!bytes) throw new ProtocolInputError(`not an IPv6 address: ${JSON.stringify(text)}`);
  return bytes;
}

export function addressFamily(text: string): Family | null {
  return tryParseAddress(text)?.family ?? null;
}

export function formatIpv4(bytes: Uint8Array): string {
  if (bytes.length !== 4) throw new ProtocolInputError(`IPv4 address needs 4 bytes, got ${bytes.length}`);
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/** ::ffff:0:0/96 — RFC 5952 §5 recommends writing these with the IPv4 tail in dotted decimal. */
export function isIpv4MappedV6(bytes: Uint8Array): boolean {
  if (bytes.length !== 16) return false;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** RFC 5952 §4: lowercase, no leading zeros, "::" for the longest run of ≥ 2 zero groups (the first on a tie). */
export function formatIpv6(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new ProtocolInputError(`IPv6 address needs 16 bytes, got ${bytes.length}`);
  if (isIpv4MappedV6(bytes)) return `::ffff:${formatIpv4(bytes.subarray(12))}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  let bestStart = -1;
  let bestLen = 1; // a single zero group is never compressed (RFC 5952 §4.2.2)
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** Formats 4 bytes as IPv4 and 16 as IPv6. */
export function formatAddress(bytes: Uint8Array): string {
  return bytes.length === 4 ? formatIpv4(bytes) : formatIpv6(bytes);
}

/**
 * Canonical spellings already computed. Every received advert compares its addresses with the configured ones,
 * mostly the same few strings over and over; a cap bounds what a flood of random sources can make it hold.
 */
const canonicalCache = new Map<string, string>();
const CANONICAL_CACHE_MAX = 4096;

/** The one spelling of an address this project uses everywhere. Throws on text that is not an address. */
export function canonicalAddress(text: string): string {
  const hit = canonicalCache.get(text);
  if (hit !== undefined) return hit;
  const canonical = formatAddress(parseAddress(text).bytes);
  if (canonicalCache.size >= CANONICAL_CACHE_MAX) canonicalCache.clear();
  canonicalCache.set(text, canonical);
  return canonical;
}

/**
 * Unsigned compare in network byte order, as the Master tie-break needs (RFC 9568 §6.4.3: the higher
 * primary address wins). Returns -1, 0 or 1. Both addresses must be of one family.
 */
export function compareAddresses(a: string, b: string): -1 | 0 | 1 {
  const x = parseAddress(a);
  const y = parseAddress(b);
  if (x.family !== y.family) {
    throw new ProtocolInputError(`cannot compare IPv${x.family} ${a} with IPv${y.family} ${b}`);
  }
  for (let i = 0; i < x.bytes.length; i++) {
    const d = (x.bytes[i] as number) - (y.bytes[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** fe80::/10. The first address of a v3 IPv6 advert must be one (RFC 5798 §5.2.9, RFC 9568 erratum 8300). */
export function isLinkLocalV6(address: string | Uint8Array): boolean {
  const bytes = typeof address === 'string' ? parseIpv6OrNull(address) : address;
  if (bytes?.length !== 16) return false;
  return bytes[0] === 0xfe && ((bytes[1] as number) & 0xc0) === 0x80;
}

const MAC_TEXT = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;

/** "00:00:5e:00:01:33" or "00-00-5E-00-01-33" → 6 bytes. */
export function macToBytes(mac: string): Buffer {
  if (!MAC_TEXT.test(mac)) throw new ProtocolInputError(`not a MAC address: ${JSON.stringify(mac)}`);
  return Buffer.from(mac.replace(/[:-]/g, ''), 'hex');
}

/** 6 bytes → lowercase colon-separated text. */
export function bytesToMac(bytes: Uint8Array): string {
  if (bytes.length !== 6) throw new ProtocolInputError(`MAC address needs 6 bytes, got ${bytes.length}`);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Virtual router MAC: 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6 (RFC 5798 §7.3). */
export function vmacFor(family: Family, vrid: number): string {
  if (!Number.isInteger(vrid) || vrid < 1 || vrid > 255)
    throw new ProtocolInputError(`VRID must be 1..255, got ${vrid}`);
  return bytesToMac(Uint8Array.of(0x00, 0x00, 0x5e, 0x00, family === 4 ? 0x01 : 0x02, vrid));
}

/** IPv4 224.0.0.0/4 or IPv6 ff00::/8 (text or bytes). */
export function isMulticastAddress(address: string | Uint8Array): boolean {
  const b = typeof address === 'string' ? tryParseAddress(address)?.bytes : address;
  if (!b) return false;
  return b.length === 4 ? ((b[0] as number) & 0xf0) === 0xe0 : b[0] === 0xff;
}
