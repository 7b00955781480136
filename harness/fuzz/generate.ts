import {
  computeVrrpChecksum,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  encodeAdvert,
  encodeIpv4Packet,
  encodeIpv6Packet,
  internetChecksum,
  macToBytes,
  VRRP_MULTICAST_V4,
  VRRP_MULTICAST_V6,
} from '../../src/protocol/index.js';
import { bytes, int, pick, type Random } from './random.js';

/**
 * Fuzzed VRRP frames for one target instance, built with the project's codec: valid adverts, adverts with one
 * to three mutated fields (every header field, truncations, extensions, both v3 IPv4 checksum forms, addresses
 * of the wrong family, TTL), CARP advertisements (same IP protocol 112), VRRP over IPv6 at an IPv4 instance,
 * and random payloads. Frames are whole Ethernet frames for an AF_PACKET socket.
 *
 * One rule keeps the expected end state simple: an advert for the target VRID never carries a priority at or
 * above the target Master's, whatever else is mutated, so no packet (valid or misread) may take mastership.
 */
export interface FuzzTarget {
  vrid: number;
  /** The Master's priority; target-VRID adverts stay below it. */
  masterPriority: number;
  vips: string[];
  /** The Master's address and MAC (unicast destination). */
  routerIp: string;
  routerMac: string;
  testerIp: string;
  testerMac: string;
  testerLinkLocal: string;
  /** Other source addresses on the link to spoof (never a router's own: the kernel drops those as martians). */
  spoofSources: string[];
}

export interface FuzzCase {
  frame: Buffer;
  kind: 'valid' | 'mutated' | 'carp' | 'ipv6' | 'random';
  mutations: string[];
  /**
   * Which raw IPv4 VRRP sockets the packet reaches: 'group' (224.0.0.18: every router's), 'router' (unicast
   * to the target router: only its), or none (an IPv6 frame).
   */
  reaches: 'group' | 'router' | 'none';
}

const GROUP_MAC_V4 = '01:00:5e:00:00:12';
const GROUP_MAC_V6 = '33:33:00:00:00:12';

export function ethernetFrame(dstMac: string, srcMac: string, etherType: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(14);
  macToBytes(dstMac).copy(header, 0);
  macToBytes(srcMac).copy(header, 6);
  header.writeUInt16BE(etherType, 12);
  return Buffer.concat([header, payload]);
}

type Mutation = (m: { msg: Buffer; ip: Ip; fixChecksum: boolean }, r: Random, t: FuzzTarget) => Buffer | undefined;
interface Ip {
  src: string;
  dst: string;
  dstMac: string;
  ttl: number;
}

const v3Header: Record<string, Mutation> = {
  version: (m, r) => {
    m.msg[0] = (int(r, 0, 15) << 4) | ((m.msg[0] as number) & 0x0f);
    return m.msg;
  },
  type: (m, r) => {
    m.msg[0] = ((m.msg[0] as number) & 0xf0) | pick(r, [0, 2, 3, 15]);
    return m.msg;
  },
  vrid: (m, r) => {
    m.msg[1] = int(r, 0, 255);
    return m.msg;
  },
  priority: (m, r, t) => {
    m.msg[2] = int(r, 0, t.masterPriority - 1);
    return m.msg;
  },
  count: (m, r) => {
    m.msg[3] = int(r, 0, 255);
    return m.msg;
  },
  rsvd: (m, r) => {
    m.msg[4] = ((m.msg[4] as number) & 0x0f) | (int(r, 1, 15) << 4);
    return m.msg;
  },
  interval: (m, r) => {
    const v = pick(r, [0, 1, int(r, 0, 4095)]);
    m.msg[4] = ((m.msg[4] as number) & 0xf0) | (v >> 8);
    m.msg[5] = v & 0xff;
    return m.msg;
  },
  'checksum-random': (m, r) => {
    m.fixChecksum = false;
    m.msg.writeUInt16BE(int(r, 0, 0xffff), 6);
    return m.msg;
  },
  'checksum-rfc9568': (m) => {
    // RFC 9568 form (no pseudo-header for v3 over IPv4): what keepalived/FRR of this era reject.
    m.fixChecksum = false;
    m.msg.writeUInt16BE(computeVrrpChecksum(m.msg, 'rfc9568', m.ip.src, m.ip.dst), 6);
    return m.msg;
  },
  'checksum-v2-form': (m) => {
    m.fixChecksum = false;
    m.msg.writeUInt16BE(computeVrrpChecksum(m.msg, 'v2'), 6);
    return m.msg;
  },
  truncate: (m, r) => m.msg.subarray(0, int(r, 0, m.msg.length - 1)),
  extend: (m, r) => Buffer.concat([m.msg, bytes(r, int(r, 1, 40))]),
  'addresses-ipv6': (m, r) => {
    const n = int(r, 1, 3);
    const addrs = Array.from({ length: n }, () => bytes(r, 16));
    const out = Buffer.concat([m.msg.subarray(0, 8), ...addrs]);
    out[3] = n;
    return out;
  },
  'addresses-other': (m, r) => {
    const n = int(r, 1, 4);
    const out = Buffer.concat([m.msg.subarray(0, 8), bytes(r, 4 * n)]);
    out[3] = n;
    return out;
  },
  ttl: (m, r) => {
    m.ip.ttl = pick(r, [0, 1, 64, 128, 254]);
    return m.msg;
  },
  unicast: (m, _r, t) => {
    m.ip.dst = t.routerIp;
    m.ip.dstMac = t.routerMac;
    return m.msg;
  },
  'src-spoofed': (m, r, t) => {
    m.ip.src = pick(r, t.spoofSources);
    return m.msg;
  },
};
const MUTATIONS = Object.keys(v3Header);
/** Mutations after which the packet is still a valid advert (the router's state must follow it). */
const BENIGN = new Set(['priority', 'unicast', 'src-spoofed']);

function baseAdvert(r: Random, t: FuzzTarget, ip: Ip): Buffer {
  return encodeAdvert(
    {
      version: 3,
      vrid: t.vrid,
      priority: int(r, 0, t.masterPriority - 1),
      advertIntervalCs: 100,
      addresses: t.vips,
    },
    { family: 4, src: ip.src, dst: ip.dst },
  );
}

function ipv4Frame(t: FuzzTarget, ip: Ip, payload: Uint8Array): Buffer {
  return ethernetFrame(ip.dstMac, t.testerMac, ETHERTYPE_IPV4, encodeIpv4Packet(ip, payload));
}

/** A CARP advertisement (version 2, type 1, 36 bytes, plain Internet checksum): OpenBSD's protocol on IP 112. */
function carp(r: Random, t: FuzzTarget): Buffer {
  const m = Buffer.concat([
    // advskew sits where VRRP has the priority: below the Master's, like every target-VRID packet.
    Buffer.from([0x21, t.vrid, int(r, 0, t.masterPriority - 1), 7, int(r, 0, 255), 1, 0, 0]),
    bytes(r, 8), // replay counter
    bytes(r, 20), // SHA1 HMAC
  ]);
  m.writeUInt16BE(internetChecksum(m), 6);
  return m;
}

export function fuzzCase(r: Random, t: FuzzTarget): FuzzCase {
  const ip: Ip = { src: t.testerIp, dst: VRRP_MULTICAST_V4, dstMac: GROUP_MAC_V4, ttl: 255 };
  const roll = r();
  if (roll < 0.1) {
    const msg = baseAdvert(r, t, ip);
    return { frame: ipv4Frame(t, ip, msg), kind: 'valid', mutations: [], reaches: 'group' };
  }
  if (roll < 0.15) return { frame: ipv4Frame(t, ip, carp(r, t)), kind: 'carp', mutations: [], reaches: 'group' };
  if (roll < 0.2) {
    const msg = encodeAdvert(
      { version: 3, vrid: t.vrid, priority: int(r, 0, t.masterPriority - 1), advertIntervalCs: 100, addresses: [] },
      { family: 6, src: t.testerLinkLocal, dst: VRRP_MULTICAST_V6 },
    );
    const packet = encodeIpv6Packet({ src: t.testerLinkLocal, dst: VRRP_MULTICAST_V6, hopLimit: 255 }, msg);
    return {
      frame: ethernetFrame(GROUP_MAC_V6, t.testerMac, ETHERTYPE_IPV6, packet),
      kind: 'ipv6',
      mutations: [],
      reaches: 'none',
    };
  }
  if (roll < 0.25) {
    const payload = bytes(r, int(r, 0, 80));
    if (payload.length >= 3 && payload[1] === t.vrid) payload[2] = Math.min(payload[2] as number, t.masterPriority - 1);
    return {
      frame: ipv4Frame(t, ip, payload),
      kind: 'random',
      mutations: [],
      reaches: 'group',
    };
  }
  const chosen = Array.from({ length: int(r, 1, 3) }, () => pick(r, MUTATIONS));
  const m = { msg: baseAdvert(r, t, ip), ip, fixChecksum: true };
  for (const name of chosen) {
    // A message cut shorter than the header has no field left to mutate (its bytes are what is wrong).
    if (m.msg.length < 8) break;
    m.msg = Buffer.from((v3Header[name] as Mutation)(m, r, t) ?? m.msg);
  }
  // Whatever a mutation changed, the checksum is right unless a checksum mutation says otherwise, so the
  // mutated field is what the receiver must judge.
  if (m.fixChecksum && m.msg.length >= 8) m.msg.writeUInt16BE(computeVrrpChecksum(m.msg, 'rfc5798', ip.src, ip.dst), 6);
  // A target-VRID advert never outranks the Master, whichever mutation touched VRID or priority.
  if (m.msg.length >= 3 && m.msg[1] === t.vrid && (m.msg[2] as number) >= t.masterPriority) {
    m.msg[2] = t.masterPriority - 1;
    if (m.fixChecksum && m.msg.length >= 8)
      m.msg.writeUInt16BE(computeVrrpChecksum(m.msg, 'rfc5798', ip.src, ip.dst), 6);
  }
  return {
    frame: ipv4Frame(t, ip, m.msg),
    kind: chosen.every((c) => BENIGN.has(c)) ? 'valid' : 'mutated',
    mutations: chosen,
    reaches: ip.dst === t.routerIp ? 'router' : 'group',
  };
}
