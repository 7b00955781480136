import { bytesToMac, formatIpv6, isLinkLocalV6, macToBytes, parseIpv6 } from './addresses.js';
import { checksumVerifies, internetChecksum, ipv6PseudoHeader } from './checksum.js';
import { ETHERTYPE_IPV6, ICMPV6_NEIGHBOR_ADVERTISEMENT, IP_PROTOCOL_ICMPV6 } from './constants.js';
import { ProtocolInputError } from './errors.js';
import { encodeIpv6Packet } from './ip-packet.js';

const ALL_NODES = 'ff02::1';
const ALL_NODES_MAC = Buffer.from([0x33, 0x33, 0x00, 0x00, 0x00, 0x01]);
const FLAG_ROUTER = 0x80;
const FLAG_SOLICITED = 0x40;
const FLAG_OVERRIDE = 0x20;
const OPTION_TARGET_LLA = 2;
/** Type, code, checksum, flags+reserved, target (RFC 4861 §4.4). */
const NA_FIXED_LENGTH = 24;

export interface UnsolicitedNaInput {
  /** Ethernet source and Target Link-Layer Address: the VMAC (RFC 5798 §7.2). */
  srcMac: string;
  /** IPv6 source: the sender's link-local address (RFC 4861 §7.2.4). */
  srcIp: string;
  vip: string;
  /** R flag. A VRRP Master is a router (RFC 9568 §6.4.3); keepalived sets it only when forwarding is on. */
  router: boolean;
}

/**
 * The unsolicited NA a new Master sends for each IPv6 VIP (RFC 5798 §6.4.1–6.4.2): to ff02::1 (MAC 33:33:00:00:00:01),
 * hop limit 255, S = 0, O = 1, target = VIP, with a Target Link-Layer Address option. 86 bytes.
 */
export function buildUnsolicitedNa(input: UnsolicitedNaInput): Buffer {
  if (!isLinkLocalV6(input.srcIp)) throw new ProtocolInputError(`NA source must be link-local, got ${input.srcIp}`);
  const mac = macToBytes(input.srcMac);
  const icmp = Buffer.alloc(NA_FIXED_LENGTH + 8);
  icmp[0] = ICMPV6_NEIGHBOR_ADVERTISEMENT;
  icmp[4] = (input.router ? FLAG_ROUTER : 0) | FLAG_OVERRIDE;
  icmp.set(parseIpv6(input.vip), 8);
  icmp[24] = OPTION_TARGET_LLA;
  icmp[25] = 1; // option length in units of 8 bytes
  mac.copy(icmp, 26);
  icmp.writeUInt16BE(
    internetChecksum(ipv6PseudoHeader(input.srcIp, ALL_NODES, icmp.length, IP_PROTOCOL_ICMPV6), icmp),
    2,
  );
  // RFC 4861 §7.1.2: a receiver ignores NAs whose hop limit is not 255, so a forwarded one never counts.
  const ip = encodeIpv6Packet(
    { src: input.srcIp, dst: ALL_NODES, hopLimit: 255, nextHeader: IP_PROTOCOL_ICMPV6, trafficClass: 0 },
    icmp,
  );
  const eth = Buffer.alloc(14);
  ALL_NODES_MAC.copy(eth, 0);
  mac.copy(eth, 6);
  eth.writeUInt16BE(ETHERTYPE_IPV6, 12);
  return Buffer.concat([eth, ip]);
}

export interface NaFields {
  target: string;
  tlla?: string;
  router: boolean;
  solicited: boolean;
  override: boolean;
  checksumValid: boolean;
}

/** Parses an ICMPv6 message if it is a Neighbor Advertisement; null otherwise. `src`/`dst` feed the checksum. */
export function parseNeighborAdvert(icmp: Uint8Array, src: string, dst: string): NaFields | null {
  if (icmp.length < NA_FIXED_LENGTH || icmp[0] !== ICMPV6_NEIGHBOR_ADVERTISEMENT) return null;
  const flags = icmp[4] as number;
  let tlla: string | undefined;
  // RFC 4861 §4.6: options are type, length in 8-byte units; a zero length is invalid and ends the walk.
  for (let off = NA_FIXED_LENGTH; off + 2 <= icmp.length; ) {
    const len = (icmp[off + 1] as number) * 8;
    if (len === 0 || off + len > icmp.length) break;
    if (icmp[off] === OPTION_TARGET_LLA && tlla === undefined) tlla = bytesToMac(icmp.subarray(off + 2, off + 8));
    off += len;
  }
  const fields: NaFields = {
    target: formatIpv6(icmp.subarray(8, 24)),
    router: (flags & FLAG_ROUTER) !== 0,
    solicited: (flags & FLAG_SOLICITED) !== 0,
    override: (flags & FLAG_OVERRIDE) !== 0,
    checksumValid: checksumVerifies(ipv6PseudoHeader(src, dst, icmp.length, IP_PROTOCOL_ICMPV6), icmp),
  };
  if (tlla !== undefined) fields.tlla = tlla;
  return fields;
}
