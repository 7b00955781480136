/**
 * RTM_NEWROUTE/RTM_DELROUTE and RTM_NEWRULE/RTM_DELRULE bodies (linux/rtnetlink.h struct rtmsg,
 * linux/fib_rules.h struct fib_rule_hdr). Pure functions over Buffers, unit-tested without a kernel.
 */
import { ipToBytes } from '../ip-bytes.js';
import { AF_INET, AF_INET6, encodeAttr, u32Attr } from './messages.js';

export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_NEWRULE = 32;
export const RTM_DELRULE = 33;

const RTA_DST = 1;
const RTA_SRC = 2;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PRIORITY = 6;
const RTA_PREFSRC = 7;
const RTA_MULTIPATH = 9;
const RTA_TABLE = 15;

const FRA_DST = 1;
const FRA_SRC = 2;
const FRA_IIFNAME = 3;
const FRA_GOTO = 4;
const FRA_PRIORITY = 6;
const FRA_FWMARK = 10;
const FRA_SUPPRESS_PREFIXLEN = 14;
const FRA_TABLE = 15;
const FRA_FWMASK = 16;
const FRA_OIFNAME = 17;
const FRA_PROTOCOL = 21;
const FIB_RULE_INVERT = 0x2;
const RTNH_F_ONLINK = 0x4;

export const RTN_TYPES = { unicast: 1, blackhole: 6, unreachable: 7, prohibit: 8, throw: 9 } as const;
export const FR_ACT = { table: 1, goto: 2, nop: 3, blackhole: 6, unreachable: 7, prohibit: 8 } as const;
/** rtm_protocol keepalived stamps on its routes (RTPROT_KEEPALIVED, /etc/iproute2/rt_protos "keepalived"). */
export const RTPROT_KEEPALIVED = 18;
export const RT_SCOPE_NOWHERE = 255;

const family = (f: 4 | 6): number => (f === 4 ? AF_INET : AF_INET6);
const split = (cidr: string): [Buffer, number] => {
  const [a, len] = cidr.split('/');
  return [ipToBytes(a!), Number(len)];
};
/** Tables above 255 only fit in the 32-bit attribute; rtm_table/frh.table then says RT_TABLE_UNSPEC. */
const tableByte = (t: number): number => (t < 256 ? t : 0);
const stringAttr = (type: number, s: string): Buffer => encodeAttr(type, Buffer.from(`${s}\0`));

export interface RouteSpec {
  family: 4 | 6;
  dst: string;
  type: keyof typeof RTN_TYPES;
  src?: string;
  from?: string;
  via?: string;
  oif?: number;
  table: number;
  metric?: number;
  scope: number;
  protocol: number;
  onlink: boolean;
  nexthops?: { via?: string; oif?: number; weight?: number; onlink?: boolean }[];
}

/** RTA_MULTIPATH: struct rtnexthop (len, flags, hops = weight - 1, ifindex) each followed by its attributes. */
function multipath(hops: NonNullable<RouteSpec['nexthops']>): Buffer {
  return encodeAttr(
    RTA_MULTIPATH,
    Buffer.concat(
      hops.map((h) => {
        const attrs = h.via ? encodeAttr(RTA_GATEWAY, ipToBytes(h.via)) : Buffer.alloc(0);
        const nh = Buffer.alloc(8);
        nh.writeUInt16LE(8 + attrs.length, 0);
        nh.writeUInt8(h.onlink ? RTNH_F_ONLINK : 0, 2);
        nh.writeUInt8((h.weight ?? 1) - 1, 3);
        nh.writeInt32LE(h.oif ?? 0, 4);
        return Buffer.concat([nh, attrs]);
      }),
    ),
  );
}

/** For RTM_NEWROUTE and RTM_DELROUTE alike (a delete matches on the same keys; scope NOWHERE matches any). */
export function routeBody(r: RouteSpec, forDelete = false): Buffer {
  const [dst, dstLen] = split(r.dst);
  const hdr = Buffer.alloc(12);
  hdr.writeUInt8(family(r.family), 0);
  hdr.writeUInt8(dstLen, 1);
  hdr.writeUInt8(r.from ? split(r.from)[1] : 0, 2);
  hdr.writeUInt8(0, 3); // tos
  hdr.writeUInt8(tableByte(r.table), 4);
  hdr.writeUInt8(r.protocol, 5);
  hdr.writeUInt8(forDelete ? RT_SCOPE_NOWHERE : r.scope, 6);
  hdr.writeUInt8(RTN_TYPES[r.type], 7);
  hdr.writeUInt32LE(r.onlink ? RTNH_F_ONLINK : 0, 8);
  const attrs: Buffer[] = [u32Attr(RTA_TABLE, r.table)];
  if (dstLen > 0) attrs.push(encodeAttr(RTA_DST, dst));
  if (r.from) attrs.push(encodeAttr(RTA_SRC, split(r.from)[0]));
  if (r.src) attrs.push(encodeAttr(RTA_PREFSRC, ipToBytes(r.src)));
  if (r.via) attrs.push(encodeAttr(RTA_GATEWAY, ipToBytes(r.via)));
  if (r.oif !== undefined) attrs.push(u32Attr(RTA_OIF, r.oif));
  if (r.metric !== undefined) attrs.push(u32Attr(RTA_PRIORITY, r.metric));
  if (r.nexthops && r.nexthops.length > 0) attrs.push(multipath(r.nexthops));
  return Buffer.concat([hdr, ...attrs]);
}

export interface RuleSpec {
  family: 4 | 6;
  from?: string;
  to?: string;
  not: boolean;
  action: keyof typeof FR_ACT;
  table?: number;
  gotoTarget?: number;
  priority?: number;
  iif?: string;
  oif?: string;
  fwmark?: number;
  fwmask?: number;
  suppressPrefixLength?: number;
  /** FRA_PROTOCOL (kernel ≥ 4.17), as `ip rule ... protocol N`. */
  protocol?: number;
}

export function ruleBody(r: RuleSpec): Buffer {
  const hdr = Buffer.alloc(12);
  hdr.writeUInt8(family(r.family), 0);
  hdr.writeUInt8(r.to ? split(r.to)[1] : 0, 1);
  hdr.writeUInt8(r.from ? split(r.from)[1] : 0, 2);
  hdr.writeUInt8(0, 3); // tos
  const table = r.action === 'table' ? (r.table ?? 254) : undefined;
  hdr.writeUInt8(table === undefined ? 0 : tableByte(table), 4);
  hdr.writeUInt8(FR_ACT[r.action], 7);
  hdr.writeUInt32LE(r.not ? FIB_RULE_INVERT : 0, 8);
  const attrs: Buffer[] = [];
  if (table !== undefined) attrs.push(u32Attr(FRA_TABLE, table));
  if (r.from) attrs.push(encodeAttr(FRA_SRC, split(r.from)[0]));
  if (r.to) attrs.push(encodeAttr(FRA_DST, split(r.to)[0]));
  if (r.priority !== undefined) attrs.push(u32Attr(FRA_PRIORITY, r.priority));
  if (r.fwmark !== undefined) attrs.push(u32Attr(FRA_FWMARK, r.fwmark));
  if (r.fwmask !== undefined) attrs.push(u32Attr(FRA_FWMASK, r.fwmask));
  if (r.iif) attrs.push(stringAttr(FRA_IIFNAME, r.iif));
  if (r.oif) attrs.push(stringAttr(FRA_OIFNAME, r.oif));
  if (r.gotoTarget !== undefined) attrs.push(u32Attr(FRA_GOTO, r.gotoTarget));
  if (r.suppressPrefixLength !== undefined) attrs.push(u32Attr(FRA_SUPPRESS_PREFIXLEN, r.suppressPrefixLength));
  if (r.protocol !== undefined) attrs.push(encodeAttr(FRA_PROTOCOL, Buffer.from([r.protocol])));
  return Buffer.concat([hdr, ...attrs]);
}
