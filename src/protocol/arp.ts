import { bytesToMac, formatIpv4, macToBytes, parseIpv4 } from './addresses.js';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from './constants.js';

const BROADCAST_MAC = Buffer.alloc(6, 0xff);
const ARP_REQUEST = 1;
/** ARP body for Ethernet/IPv4: htype, ptype, hlen, plen, op, sha, spa, tha, tpa (RFC 826). */
export const ARP_BODY_LENGTH = 28;

export interface GratuitousArpInput {
  /** Ethernet source: the VMAC per RFC 5798 §7.2; keepalived without use_vmac sends the interface MAC. */
  srcMac: string;
  /** ARP sender hardware address. Default `srcMac`. */
  senderMac?: string;
  vip: string;
}

/**
 * The gratuitous ARP a new Master broadcasts for each IPv4 VIP (RFC 5798 §6.4.1–6.4.2; RFC 9568 errata 7947, 7949):
 * an ARP *request* with SPA = TPA = VIP and THA = ff:ff:ff:ff:ff:ff, byte for byte what keepalived 2.2.7 and FRR 8.4.4
 * send (docs/quirks.md Q5). 42 bytes; the NIC pads to the 60-byte Ethernet minimum.
 */
export function buildGratuitousArp(input: GratuitousArpInput): Buffer {
  const vip = parseIpv4(input.vip);
  const frame = Buffer.alloc(14 + ARP_BODY_LENGTH);
  BROADCAST_MAC.copy(frame, 0);
  macToBytes(input.srcMac).copy(frame, 6);
  frame.writeUInt16BE(ETHERTYPE_ARP, 12);
  frame.writeUInt16BE(1, 14); // hardware type Ethernet
  frame.writeUInt16BE(ETHERTYPE_IPV4, 16);
  frame[18] = 6;
  frame[19] = 4;
  frame.writeUInt16BE(ARP_REQUEST, 20);
  macToBytes(input.senderMac ?? input.srcMac).copy(frame, 22);
  frame.set(vip, 28);
  BROADCAST_MAC.copy(frame, 32);
  frame.set(vip, 38);
  return frame;
}

export interface ArpFields {
  op: number;
  sha: string;
  spa: string;
  tha: string;
  tpa: string;
  /** SPA = TPA: an announcement of the sender's own address (RFC 5227 §3). */
  gratuitous: boolean;
}

/** Parses an Ethernet/IPv4 ARP body; null if it is shorter or of another hardware/protocol type. */
export function parseArpBody(body: Uint8Array): ArpFields | null {
  if (body.length < ARP_BODY_LENGTH) return null;
  const b = Buffer.from(body.buffer, body.byteOffset, body.length);
  if (b.readUInt16BE(0) !== 1 || b.readUInt16BE(2) !== ETHERTYPE_IPV4 || b[4] !== 6 || b[5] !== 4) return null;
  const spa = formatIpv4(b.subarray(14, 18));
  const tpa = formatIpv4(b.subarray(24, 28));
  return {
    op: b.readUInt16BE(6),
    sha: bytesToMac(b.subarray(8, 14)),
    spa,
    tha: bytesToMac(b.subarray(18, 24)),
    tpa,
    gratuitous: spa === tpa,
  };
}
