/**
 * rtnetlink message encoding and parsing (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h,
 * linux/if_addr.h). Pure functions over Buffers so they are unit-tested without a kernel.
 * Netlink uses host byte order; Node runs little-endian on every platform vrrpd targets (x86-64, arm64).
 */

export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;

export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
export const NLM_F_DUMP = 0x300;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
/** On NLMSG_ERROR: extended-ack TLVs follow the (capped) original header. */
export const NLM_F_ACK_TLVS = 0x200;
export const NLMSGERR_ATTR_MSG = 1;

export const RTMGRP_LINK = 0x1;
export const RTMGRP_IPV4_IFADDR = 0x10;
export const RTMGRP_IPV6_IFADDR = 0x100;

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

export const IFLA_ADDRESS = 1;
export const IFLA_IFNAME = 3;
export const IFLA_OPERSTATE = 16;
export const IFLA_CARRIER = 33;

export const IFF_UP = 0x1;
export const IFF_RUNNING = 0x40;
export const IFF_LOWER_UP = 0x10000;

export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_BROADCAST = 4;
export const IFA_CACHEINFO = 6;
export const IFA_FLAGS = 8;

export const IFA_F_SECONDARY = 0x01;
export const IFA_F_NODAD = 0x02;
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_PERMANENT = 0x80;
export const IFA_F_HOMEADDRESS = 0x10;
export const IFA_F_MANAGETEMPADDR = 0x100;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const IFA_F_MCAUTOJOIN = 0x400;
/** ifa_cacheinfo lifetime meaning "forever". */
export const INFINITY_LIFE_TIME = 0xffffffff;

export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;

const NLMSG_HDRLEN = 16;
const align4 = (n: number): number => (n + 3) & ~3;

export interface NlMessage {
  type: number;
  flags: number;
  seq: number;
  pid: number;
  /** The message body after the 16-byte nlmsghdr. */
  payload: Buffer;
}

export function encodeMessage(h: { type: number; flags: number; seq: number; pid?: number }, body: Buffer): Buffer {
  const len = NLMSG_HDRLEN + body.length;
  const out = Buffer.alloc(align4(len));
  out.writeUInt32LE(len, 0);
  out.writeUInt16LE(h.type, 4);
  out.writeUInt16LE(h.flags, 6);
  out.writeUInt32LE(h.seq >>> 0, 8);
  out.writeUInt32LE(h.pid ?? 0, 12);
  body.copy(out, NLMSG_HDRLEN);
  return out;
}

/** Splits a datagram (or several concatenated) into messages; stops at a malformed length. */
export function parseMessages(buf: Buffer): NlMessage[] {
  const out: NlMessage[] = [];
  let off = 0;
  while (off + NLMSG_HDRLEN <= buf.length) {
    const len = buf.readUInt32LE(off);
    if (len < NLMSG_HDRLEN || off + len > buf.length) break;
    out.push({
      type: buf.readUInt16LE(off + 4),
      flags: buf.readUInt16LE(off + 6),
      seq: buf.readUInt32LE(off + 8),
      pid: buf.readUInt32LE(off + 12),
      payload: buf.subarray(off + NLMSG_HDRLEN, off + len),
    });
    off += align4(len);
  }
  return out;
}

export function encodeAttr(type: number, value: Buffer): Buffer {
  const out = Buffer.alloc(align4(4 + value.length));
  out.writeUInt16LE(4 + value.length, 0);
  out.writeUInt16LE(type, 2);
  value.copy(out, 4);
  return out;
}

export function u32Attr(type: number, v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  return encodeAttr(type, b);
}

export function stringAttr(type: number, s: string): Buffer {
  return encodeAttr(type, Buffer.from(`${s}\0`, 'utf8'));
}

/** rtattr list → type → value (the nested bit 0x8000 and byte-order bit 0x4000 are masked off). */
export function parseAttrs(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let off = 0;
  while (off + 4 <= buf.length) {
    const len = buf.readUInt16LE(off);
    if (len < 4 || off + len > buf.length) break;
    const type = buf.readUInt16LE(off + 2) & 0x3fff;
    if (!out.has(type)) out.set(type, buf.subarray(off + 4, off + len));
    off += align4(len);
  }
  return out;
}

const cString = (b: Buffer | undefined): string | undefined => {
  if (!b) return undefined;
  const nul = b.indexOf(0);
  return b.toString('utf8', 0, nul < 0 ? b.length : nul);
};

/** IF_OPER_* (RFC 2863 operstates) as `ip link` prints them. */
export const OPERSTATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'] as const;

export interface LinkMessage {
  deleted: boolean;
  ifindex: number;
  ifname: string;
  flags: number;
  adminUp: boolean;
  /** IFF_RUNNING: carrier present and operstate UP (or UNKNOWN for drivers without operstate). */
  running: boolean;
  operstate: string;
  mac?: string;
}

const IFINFOMSG_LEN = 16;

export function encodeIfInfoMsg(m: { family?: number; ifindex?: number }): Buffer {
  const b = Buffer.alloc(IFINFOMSG_LEN);
  b.writeUInt8(m.family ?? AF_UNSPEC, 0);
  b.writeInt32LE(m.ifindex ?? 0, 4);
  return b;
}

export function parseLinkMessage(msg: NlMessage): LinkMessage | undefined {
  if ((msg.type !== RTM_NEWLINK && msg.type !== RTM_DELLINK) || msg.payload.length < IFINFOMSG_LEN) return undefined;
  const p = msg.payload;
  const ifindex = p.readInt32LE(4);
  const flags = p.readUInt32LE(8);
  const attrs = parseAttrs(p.subarray(IFINFOMSG_LEN));
  const oper = attrs.get(IFLA_OPERSTATE)?.[0];
  const addr = attrs.get(IFLA_ADDRESS);
  return {
    deleted: msg.type === RTM_DELLINK,
    ifindex,
    ifname: cString(attrs.get(IFLA_IFNAME)) ?? '',
    flags,
    adminUp: (flags & IFF_UP) !== 0,
    running: (flags & IFF_RUNNING) !== 0,
    operstate: oper === undefined ? 'UNKNOWN' : (OPERSTATES[oper] ?? `${oper}`),
    ...(addr && addr.length === 6 ? { mac: [...addr].map((x) => x.toString(16).padStart(2, '0')).join(':') } : {}),
  };
}

export interface AddressMessage {
  deleted: boolean;
  family: 4 | 6;
  ifindex: number;
  prefixLength: number;
  scope: number;
  flags: number;
  /** Raw address bytes (IFA_LOCAL if present: on point-to-point links IFA_ADDRESS is the peer). */
  address: Buffer;
  label?: string;
}

const IFADDRMSG_LEN = 8;

export function encodeIfAddrMsg(m: {
  family: number;
  prefixLength: number;
  flags: number;
  scope: number;
  ifindex: number;
}): Buffer {
  const b = Buffer.alloc(IFADDRMSG_LEN);
  b.writeUInt8(m.family, 0);
  b.writeUInt8(m.prefixLength, 1);
  b.writeUInt8(m.flags & 0xff, 2);
  b.writeUInt8(m.scope, 3);
  b.writeUInt32LE(m.ifindex, 4);
  return b;
}

export function parseAddressMessage(msg: NlMessage): AddressMessage | undefined {
  if ((msg.type !== RTM_NEWADDR && msg.type !== RTM_DELADDR) || msg.payload.length < IFADDRMSG_LEN) return undefined;
  const p = msg.payload;
  const fam = p.readUInt8(0);
  if (fam !== AF_INET && fam !== AF_INET6) return undefined;
  const attrs = parseAttrs(p.subarray(IFADDRMSG_LEN));
  const address = attrs.get(IFA_LOCAL) ?? attrs.get(IFA_ADDRESS);
  if (!address) return undefined;
  // IFA_FLAGS (u32) supersedes the 8-bit ifa_flags when present.
  const wide = attrs.get(IFA_FLAGS);
  const label = cString(attrs.get(IFA_LABEL));
  return {
    deleted: msg.type === RTM_DELADDR,
    family: fam === AF_INET ? 4 : 6,
    prefixLength: p.readUInt8(1),
    flags: wide && wide.length >= 4 ? wide.readUInt32LE(0) : p.readUInt8(2),
    scope: p.readUInt8(3),
    ifindex: p.readUInt32LE(4),
    address,
    ...(label !== undefined ? { label } : {}),
  };
}

export interface NlError {
  /** 0 = ACK; otherwise a positive errno. */
  errno: number;
  /** Extended-ack text from the kernel (e.g. "Invalid prefix for given prefix length"). */
  message?: string;
}

/** NLMSG_ERROR body: s32 -errno, then the original nlmsghdr (capped), then extended-ack TLVs. */
export function parseErrorMessage(msg: NlMessage): NlError | undefined {
  if (msg.type !== NLMSG_ERROR || msg.payload.length < 4) return undefined;
  const raw = msg.payload.readInt32LE(0);
  const errno = raw === 0 ? 0 : -raw;
  if (!(msg.flags & NLM_F_ACK_TLVS) || msg.payload.length < 4 + NLMSG_HDRLEN) return { errno };
  // With NETLINK_CAP_ACK the echoed request is just its header; without it, the whole request.
  const echoedLen = msg.payload.readUInt32LE(4);
  const tlvStart = 4 + (msg.flags & 0x100 /* NLM_F_CAPPED */ ? NLMSG_HDRLEN : align4(echoedLen));
  const text = cString(parseAttrs(msg.payload.subarray(tlvStart)).get(NLMSGERR_ATTR_MSG));
  return text ? { errno, message: text } : { errno };
}
