/** IP address text ↔ bytes, for rtnetlink attributes. Output follows RFC 5952 (as `ip` prints it). */
import { isIPv4, isIPv6 } from 'node:net';
import { tryParseAddress } from '../protocol/addresses.js';

export function ipFamily(ip: string): 4 | 6 | undefined {
  if (isIPv4(ip)) return 4;
  if (isIPv6(ip)) return 6;
  return undefined;
}

export function ipToBytes(ip: string): Buffer {
  const parsed = tryParseAddress(ip.replace(/%.*$/, ''));
  if (!parsed) throw new TypeError(`not an IP address: '${ip}'`);
  return Buffer.from(parsed.bytes);
}

export function bytesToIp(b: Buffer): string {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length !== 16) throw new TypeError(`an IP address is 4 or 16 bytes, got ${b.length}`);
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b.readUInt16BE(i));
  // RFC 5952 §4.2: compress the longest run (≥ 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export interface Cidr {
  family: 4 | 6;
  address: string;
  prefixLength: number;
}

/** "10.0.0.1/24", "fe80::1/64"; a bare address means a host prefix (/32, /128). */
export function parseCidr(cidr: string): Cidr {
  const [address = '', len, extra] = cidr.trim().split('/');
  const family = ipFamily(address);
  const max = family === 4 ? 32 : 128;
  const prefixLength = len === undefined ? max : Number(len);
  if (!family || extra !== undefined || !/^\d+$/.test(len ?? String(max)) || prefixLength > max) {
    throw new TypeError(`not an address/prefix: '${cidr}'`);
  }
  return { family, address: bytesToIp(ipToBytes(address)), prefixLength };
}
