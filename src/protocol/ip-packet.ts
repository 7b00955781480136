import { parseIpv4, parseIpv6 } from './addresses.js';
import { internetChecksum } from './checksum.js';
import { VRRP_IP_PROTOCOL } from './constants.js';
import { ProtocolInputError } from './errors.js';

/**
 * Whole IP packets around a payload, for injecting crafted packets (IP_HDRINCL / AF_PACKET) and for tests.
 * Defaults match what keepalived puts on the wire: TOS 0xc0 (docs/quirks.md Q17), protocol 112, no fragmentation flags.
 */

export interface Ipv4HeaderInput {
  src: string;
  dst: string;
  ttl: number;
  /** Default 0xc0 (precedence "internetwork control"), as keepalived sends. */
  tos?: number;
  /** Default 112 (VRRP). */
  protocol?: number;
  /** Identification field. Default 0. */
  id?: number;
}

export interface Ipv6HeaderInput {
  src: string;
  dst: string;
  hopLimit: number;
  /** Default 112 (VRRP). */
  nextHeader?: number;
  /** Default 0xc0, the same network-control class as the IPv4 default. */
  trafficClass?: number;
}

function byteField(name: string, value: number, max = 255): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ProtocolInputError(`${name} must be an integer 0..${max}, got ${value}`);
  }
  return value;
}

/** A 20-byte IPv4 header (no options) + payload, with the header checksum filled in (RFC 791). */
export function encodeIpv4Packet(h: Ipv4HeaderInput, payload: Uint8Array): Buffer {
  const total = 20 + payload.length;
  if (total > 0xffff) throw new ProtocolInputError(`IPv4 packet too long: ${total} bytes`);
  const packet = Buffer.alloc(total);
  packet[0] = 0x45;
  packet[1] = byteField('tos', h.tos ?? 0xc0);
  packet.writeUInt16BE(total, 2);
  packet.writeUInt16BE(byteField('id', h.id ?? 0, 0xffff), 4);
  packet[8] = byteField('ttl', h.ttl);
  packet[9] = byteField('protocol', h.protocol ?? VRRP_IP_PROTOCOL);
  packet.set(parseIpv4(h.src), 12);
  packet.set(parseIpv4(h.dst), 16);
  packet.writeUInt16BE(internetChecksum(packet.subarray(0, 20)), 10);
  packet.set(payload, 20);
  return packet;
}

/** A 40-byte IPv6 header (flow label 0, no extension headers) + payload (RFC 8200 §3). */
export function encodeIpv6Packet(h: Ipv6HeaderInput, payload: Uint8Array): Buffer {
  if (payload.length > 0xffff) throw new ProtocolInputError(`IPv6 payload too long: ${payload.length} bytes`);
  const packet = Buffer.alloc(40 + payload.length);
  const tc = byteField('trafficClass', h.trafficClass ?? 0xc0);
  packet.writeUInt32BE(((6 << 28) | (tc << 20)) >>> 0, 0);
  packet.writeUInt16BE(payload.length, 4);
  packet[6] = byteField('nextHeader', h.nextHeader ?? VRRP_IP_PROTOCOL);
  packet[7] = byteField('hopLimit', h.hopLimit);
  packet.set(parseIpv6(h.src), 8);
  packet.set(parseIpv6(h.dst), 24);
  packet.set(payload, 40);
  return packet;
}
