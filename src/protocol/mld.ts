import { formatIpv6, parseIpv6 } from './addresses.js';
import { IP_PROTOCOL_ICMPV6 } from './constants.js';

/** IPv6 Hop-by-Hop Options header (RFC 8200 §4.3): every MLD message carries the Router Alert option in one. */
const NEXT_HEADER_HOP_BY_HOP = 0;
const MLDV1_REPORT = 131;
const MLDV2_REPORT = 143;

/**
 * The solicited-node multicast group of an IPv6 address (RFC 4291 §2.7.1): ff02::1:ff + its low 24 bits.
 * A node joins it for every unicast address it holds, so neighbours can resolve the address (RFC 4861 §7.2.1).
 */
export function solicitedNodeGroup(address: string): string {
  const b = parseIpv6(address);
  const g = new Uint8Array(16);
  g.set([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff]);
  g.set(b.subarray(13, 16), 13);
  return formatIpv6(g);
}

/**
 * The multicast groups an MLD report names (MLDv1, RFC 2710 §3; MLDv2 records, RFC 3810 §5.2), given the IPv6
 * packet. Null when the packet is not an MLD report. Reports of leaving (v2 CHANGE_TO_INCLUDE with no source)
 * are listed too: the caller looks for a group being announced, and keepalived/vrrpd never leave one they join.
 */
export function parseMldReport(ip: Uint8Array): string[] | null {
  if (ip.length < 40) return null;
  let next = ip[6] as number;
  let off = 40;
  if (next === NEXT_HEADER_HOP_BY_HOP) {
    if (ip.length < off + 2) return null;
    next = ip[off] as number;
    off += ((ip[off + 1] as number) + 1) * 8;
  }
  if (next !== IP_PROTOCOL_ICMPV6 || ip.length < off + 8) return null;
  const icmp = ip.subarray(off);
  if (icmp[0] === MLDV1_REPORT) return icmp.length >= 24 ? [formatIpv6(icmp.subarray(8, 24))] : null;
  if (icmp[0] !== MLDV2_REPORT) return null;
  const records = ((icmp[6] as number) << 8) | (icmp[7] as number);
  const groups: string[] = [];
  // Each record: type, aux data length (32-bit words), number of sources, group, sources, aux data.
  for (let r = 0, p = 8; r < records; r++) {
    if (icmp.length < p + 20) return null;
    const aux = (icmp[p + 1] as number) * 4;
    const sources = ((icmp[p + 2] as number) << 8) | (icmp[p + 3] as number);
    groups.push(formatIpv6(icmp.subarray(p + 4, p + 20)));
    p += 20 + sources * 16 + aux;
  }
  return groups;
}
