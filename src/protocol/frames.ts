import { bytesToMac, formatIpv6 } from './addresses.js';
import { parseArpBody } from './arp.js';
import {
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_QINQ,
  ETHERTYPE_VLAN,
  IP_PROTOCOL_ICMPV6,
  VRRP_IP_PROTOCOL,
} from './constants.js';
import { decodeIpPacket } from './decode-packet.js';
import { parseMldReport } from './mld.js';
import { parseNeighborAdvert } from './neighbor-advert.js';
import type { DecodedAdvert, DecodeOptions } from './types.js';

export { buildGratuitousArp, type GratuitousArpInput } from './arp.js';
export { buildUnsolicitedNa, type UnsolicitedNaInput } from './neighbor-advert.js';

/** One captured Ethernet frame, classified for the harness's observers. */
export type FrameEvent =
  | {
      kind: 'vrrp';
      srcMac: string;
      dstMac: string;
      /** null when the IP packet is not decodable; `error` says why. */
      decoded: DecodedAdvert | null;
      error?: string;
    }
  | {
      kind: 'arp';
      srcMac: string;
      dstMac: string;
      op: number;
      sha: string;
      spa: string;
      tha: string;
      tpa: string;
      gratuitous: boolean;
    }
  | {
      kind: 'na';
      srcMac: string;
      dstMac: string;
      src: string;
      dst: string;
      hopLimit: number;
      target: string;
      tlla?: string;
      router: boolean;
      solicited: boolean;
      override: boolean;
      /** ICMPv6 checksum (RFC 4443 §2.3) verifies. */
      checksumValid: boolean;
    }
  | {
      /** An MLD report (v1 or v2): the multicast groups the sender announces it listens to. */
      kind: 'mld-report';
      srcMac: string;
      dstMac: string;
      src: string;
      groups: string[];
    }
  | {
      kind: 'other';
      /** 0 when the frame is too short to have one. */
      etherType: number;
      /** Why a frame of a known type was still not classified (too short, malformed). */
      detail?: string;
    };

function vrrpEvent(srcMac: string, dstMac: string, ip: Uint8Array, opts: DecodeOptions): FrameEvent {
  const result = decodeIpPacket(ip, opts);
  if (result.ok) return { kind: 'vrrp', srcMac, dstMac, decoded: result.value };
  return { kind: 'vrrp', srcMac, dstMac, decoded: null, error: `${result.reason}: ${result.detail}` };
}

function ipv6Event(srcMac: string, dstMac: string, ip: Uint8Array, opts: DecodeOptions): FrameEvent {
  if (ip.length < 40) return { kind: 'other', etherType: ETHERTYPE_IPV6, detail: 'IPv6 header cut short' };
  const nextHeader = ip[6] as number;
  if (nextHeader === VRRP_IP_PROTOCOL) return vrrpEvent(srcMac, dstMac, ip, opts);
  const groups = parseMldReport(ip);
  if (groups) return { kind: 'mld-report', srcMac, dstMac, src: formatIpv6(ip.subarray(8, 24)), groups };
  if (nextHeader !== IP_PROTOCOL_ICMPV6) return { kind: 'other', etherType: ETHERTYPE_IPV6 };
  const payloadLength = ((ip[4] as number) << 8) | (ip[5] as number);
  const icmp = ip.subarray(40, 40 + payloadLength);
  const src = formatIpv6(ip.subarray(8, 24));
  const dst = formatIpv6(ip.subarray(24, 40));
  const na = parseNeighborAdvert(icmp, src, dst);
  if (!na) return { kind: 'other', etherType: ETHERTYPE_IPV6 };
  return { kind: 'na', srcMac, dstMac, src, dst, hopLimit: ip[7] as number, ...na };
}

/**
 * Classifies an Ethernet II frame (optionally 802.1Q / 802.1ad tagged): a VRRP advert over IPv4 or IPv6, an
 * Ethernet/IPv4 ARP, an ICMPv6 Neighbor Advertisement, or anything else. Never throws.
 */
export function decodeEthernetFrame(frame: Uint8Array, opts: DecodeOptions = {}): FrameEvent {
  if (frame.length < 14) return { kind: 'other', etherType: 0, detail: `frame is ${frame.length} bytes, below 14` };
  const dstMac = bytesToMac(frame.subarray(0, 6));
  const srcMac = bytesToMac(frame.subarray(6, 12));
  let offset = 12;
  let etherType = ((frame[offset] as number) << 8) | (frame[offset + 1] as number);
  while (etherType === ETHERTYPE_VLAN || etherType === ETHERTYPE_QINQ) {
    offset += 4;
    if (frame.length < offset + 2) return { kind: 'other', etherType, detail: 'VLAN tag cut short' };
    etherType = ((frame[offset] as number) << 8) | (frame[offset + 1] as number);
  }
  const body = frame.subarray(offset + 2);
  switch (etherType) {
    case ETHERTYPE_IPV4:
      if (body.length < 20) return { kind: 'other', etherType, detail: 'IPv4 header cut short' };
      if (body[9] !== VRRP_IP_PROTOCOL) return { kind: 'other', etherType };
      return vrrpEvent(srcMac, dstMac, body, opts);
    case ETHERTYPE_IPV6:
      return ipv6Event(srcMac, dstMac, body, opts);
    case ETHERTYPE_ARP: {
      const arp = parseArpBody(body);
      if (!arp) return { kind: 'other', etherType, detail: 'not an Ethernet/IPv4 ARP body' };
      return { kind: 'arp', srcMac, dstMac, ...arp };
    }
    default:
      return { kind: 'other', etherType };
  }
}
