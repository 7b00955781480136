import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 4 | 6;

export interface Cidr {
  family: IpFamily;
  /** Address as written, without the prefix length. */
  address: string;
  prefix: number;
  /** The address as an integer (for comparison and subnet math). */
  value: bigint;
}

function ipv4ToBigInt(a: string): bigint {
  return a.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigInt(a: string): bigint {
  let text = a;
  // An embedded dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const dot = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dot?.[1]) {
    const v4 = ipv4ToBigInt(dot[1]);
    text = `${text.slice(0, dot.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** Parse an address without prefix; undefined when it is not an IPv4/IPv6 address. */
export function parseIp(address: string): { family: IpFamily; value: bigint } | undefined {
  if (isIPv4(address)) return { family: 4, value: ipv4ToBigInt(address) };
  if (isIPv6(address) && !address.includes('%')) return { family: 6, value: ipv6ToBigInt(address) };
  return undefined;
}

/** Parse "10.99.0.11/24" or "fd00:99::11/64"; undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  const ip = parseIp(m[1]);
  const prefix = Number(m[2]);
  if (!ip || prefix > (ip.family === 4 ? 32 : 128)) return undefined;
  return { family: ip.family, address: m[1], prefix, value: ip.value };
}

export function isCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

/** Whether `address` (no prefix) lies inside the subnet of `net`. */
export function subnetContains(net: Cidr, address: string): boolean {
  const ip = parseIp(address);
  if (!ip || ip.family !== net.family) return false;
  const bits = BigInt(net.family === 4 ? 32 : 128);
  const shift = bits - BigInt(net.prefix);
  return net.value >> shift === ip.value >> shift;
}

/** Canonical text key of an address (so fd00::1 and fd00:0::1 count as the same). */
export function addressKey(address: string): string | undefined {
  const ip = parseIp(address);
  return ip ? `${ip.family}:${ip.value.toString(16)}` : undefined;
}

/** "10.99.0.11/24" → "10.99.0.11". */
export function stripPrefix(cidr: string): string {
  const i = cidr.indexOf('/');
  return i < 0 ? cidr : cidr.slice(0, i);
}
