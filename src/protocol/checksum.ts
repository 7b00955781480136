import { parseIpv4, parseIpv6 } from './addresses.js';
import { VRRP_IP_PROTOCOL } from './constants.js';
import type { ChecksumForm } from './types.js';

/**
 * RFC 1071 one's-complement sum of the chunks as if they were concatenated (an odd-length chunk
 * shifts the byte pairing of the next one), folded to 16 bits. Not complemented.
 */
export function onesComplementSum(...chunks: readonly Uint8Array[]): number {
  let sum = 0;
  let odd = false;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      sum += odd ? (chunk[i] as number) : (chunk[i] as number) << 8;
      odd = !odd;
    }
    // Fold often enough that `sum` stays a small integer even for 64 KiB inputs.
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The RFC 1071 Internet checksum: the complement of the one's-complement sum. */
export function internetChecksum(...chunks: readonly Uint8Array[]): number {
  return ~onesComplementSum(...chunks) & 0xffff;
}

/**
 * RFC 1071 §1 receiver check: the sum over the data including its checksum field is all ones. This accepts
 * both zeros (0x0000 and 0xffff) in the checksum field, as the kernel's and keepalived's in_csum checks do.
 */
export function checksumVerifies(...chunks: readonly Uint8Array[]): boolean {
  return onesComplementSum(...chunks) === 0xffff;
}

/** IPv4 pseudo-header (RFC 768 style): src, dst, zero, protocol, upper-layer length. */
export function ipv4PseudoHeader(src: string, dst: string, length: number, protocol = VRRP_IP_PROTOCOL): Buffer {
  const b = Buffer.alloc(12);
  b.set(parseIpv4(src), 0);
  b.set(parseIpv4(dst), 4);
  b[9] = protocol;
  b.writeUInt16BE(length & 0xffff, 10);
  return b;
}

/** IPv6 pseudo-header (RFC 8200 §8.1): src, dst, 32-bit upper-layer length, 3 zero bytes, next header. */
export function ipv6PseudoHeader(src: string, dst: string, length: number, nextHeader = VRRP_IP_PROTOCOL): Buffer {
  const b = Buffer.alloc(40);
  b.set(parseIpv6(src), 0);
  b.set(parseIpv6(dst), 16);
  b.writeUInt32BE(length >>> 0, 32);
  b[39] = nextHeader;
  return b;
}

/**
 * What a VRRP checksum is computed over, besides the message itself:
 * - 'v2': nothing (RFC 3768 §5.3.8).
 * - 'rfc5798': the IPv4 pseudo-header — RFC 5798 §5.2.8 as keepalived, FRR, Wireshark and tcpdump read it.
 * - 'rfc9568': nothing (RFC 9568 §5.2.8 drops the IPv4 pseudo-header).
 * - 'ipv6': the RFC 8200 §8.1 pseudo-header.
 * `dst` is the packet's real destination (224.0.0.18, ff02::12, or the peer for unicast).
 */
function prefixFor(form: ChecksumForm, src: string, dst: string, length: number): Uint8Array[] {
  switch (form) {
    case 'v2':
    case 'rfc9568':
      return [];
    case 'rfc5798':
      return [ipv4PseudoHeader(src, dst, length)];
    case 'ipv6':
      return [ipv6PseudoHeader(src, dst, length)];
  }
}

/** The checksum to put in bytes 6–7 of `message`; whatever is in those bytes now is ignored. */
export function computeVrrpChecksum(message: Uint8Array, form: ChecksumForm, src = '', dst = ''): number {
  const zeroed = Buffer.from(message);
  if (zeroed.length >= 8) zeroed.writeUInt16BE(0, 6);
  return internetChecksum(...prefixFor(form, src, dst, message.length), zeroed);
}

/** True when the checksum in bytes 6–7 of `message` is right for `form`. */
export function verifyVrrpChecksum(message: Uint8Array, form: ChecksumForm, src = '', dst = ''): boolean {
  return checksumVerifies(...prefixFor(form, src, dst, message.length), message);
}
