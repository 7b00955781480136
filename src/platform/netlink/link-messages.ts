/**
 * RTM_NEWLINK / RTM_DELLINK bodies for creating and configuring a macvlan (linux/if_link.h,
 * linux/ip.h IPV4_DEVCONF_*), and the per-interface IPv4 devconf read back from RTM_GETLINK.
 * Pure functions over Buffers, unit-tested without a kernel.
 */
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  encodeAttr,
  type NlMessage,
  parseAttrs,
  RTM_NEWLINK,
  u32Attr,
} from './messages.js';

export const IFLA_ADDRESS = 1;
export const IFLA_IFNAME = 3;
export const IFLA_LINK = 5;
export const IFLA_LINKINFO = 18;
export const IFLA_AF_SPEC = 26;
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const IFLA_MACVLAN_MODE = 1;
export const IFLA_INET_CONF = 1;
export const IFLA_INET6_ADDR_GEN_MODE = 8;
export const IN6_ADDR_GEN_MODE_NONE = 1;

/** linux/if_link.h enum macvlan_mode. */
export const MACVLAN_MODE = { private: 1, vepa: 2, bridge: 4, passthru: 8, source: 16 } as const;
export type MacvlanMode = keyof typeof MACVLAN_MODE;

/** linux/ip.h IPV4_DEVCONF_* (1-based; IFLA_INET_CONF carries them as an array starting at index 1). */
export const IPV4_DEVCONF = {
  rp_filter: 8,
  arp_filter: 13,
  arp_ignore: 19,
  promote_secondaries: 20,
  accept_local: 23,
} as const;
export type Ipv4Devconf = keyof typeof IPV4_DEVCONF;

const IFF_UP = 0x1;
const NLA_F_NESTED = 0x8000;

const nested = (type: number, children: Buffer[]): Buffer => encodeAttr(type | NLA_F_NESTED, Buffer.concat(children));

/** struct ifinfomsg with ifi_change/ifi_flags (the shared encodeIfInfoMsg leaves both 0). */
export function encodeIfInfoMsgWithFlags(m: { ifindex?: number; flags?: number; change?: number }): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt8(AF_UNSPEC, 0);
  b.writeInt32LE(m.ifindex ?? 0, 4);
  b.writeUInt32LE(m.flags ?? 0, 8);
  b.writeUInt32LE(m.change ?? 0, 12);
  return b;
}

export function macToBytes(mac: string): Buffer {
  const parts = mac.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new TypeError(`not a MAC address: '${mac}'`);
  }
  return Buffer.from(parts.map((p) => Number.parseInt(p, 16)));
}

/** `ip link add NAME link PARENT address MAC type macvlan mode MODE` (created down). */
export function newMacvlanBody(o: { name: string; parentIndex: number; mac: string; mode: MacvlanMode }): Buffer {
  return Buffer.concat([
    encodeIfInfoMsgWithFlags({}),
    u32Attr(IFLA_LINK, o.parentIndex),
    encodeAttr(IFLA_IFNAME, Buffer.from(`${o.name}\0`)),
    encodeAttr(IFLA_ADDRESS, macToBytes(o.mac)),
    nested(IFLA_LINKINFO, [
      encodeAttr(IFLA_INFO_KIND, Buffer.from('macvlan')),
      nested(IFLA_INFO_DATA, [u32Attr(IFLA_MACVLAN_MODE, MACVLAN_MODE[o.mode])]),
    ]),
  ]);
}

export function delLinkBody(ifindex: number): Buffer {
  return encodeIfInfoMsgWithFlags({ ifindex });
}

/** `ip link set IF up|down`. */
export function setLinkUpBody(ifindex: number, up: boolean): Buffer {
  return encodeIfInfoMsgWithFlags({ ifindex, flags: up ? IFF_UP : 0, change: IFF_UP });
}

/**
 * `ip link set IF addrgenmode none`: no EUI-64 link-local on the VMAC (RFC 5798 §7.4: the virtual MAC
 * must not make up an address). The kernel ignores IFLA_AF_SPEC in a create request, so this is separate.
 */
export function addrGenModeNoneBody(ifindex: number): Buffer {
  const mode = Buffer.from([IN6_ADDR_GEN_MODE_NONE]);
  return Buffer.concat([
    encodeIfInfoMsgWithFlags({ ifindex }),
    nested(IFLA_AF_SPEC, [nested(AF_INET6, [encodeAttr(IFLA_INET6_ADDR_GEN_MODE, mode)])]),
  ]);
}

/** Sets IPv4 devconf values (net.ipv4.conf.IF.*) through IFLA_AF_SPEC/AF_INET/IFLA_INET_CONF. */
export function setIpv4DevconfBody(ifindex: number, values: Partial<Record<Ipv4Devconf, number>>): Buffer {
  const entries = Object.entries(values).map(([k, v]) => u32Attr(IPV4_DEVCONF[k as Ipv4Devconf], v ?? 0));
  return Buffer.concat([
    encodeIfInfoMsgWithFlags({ ifindex }),
    nested(IFLA_AF_SPEC, [nested(AF_INET, [nested(IFLA_INET_CONF, entries)])]),
  ]);
}

/** What a RTM_NEWLINK reply says about a macvlan and its IPv4 devconf. */
export interface LinkDetails {
  ifindex: number;
  /** IFLA_LINK: the parent's ifindex (macvlan, veth peer). */
  parentIndex?: number;
  kind?: string;
  macvlanMode?: MacvlanMode;
  devconf: Partial<Record<Ipv4Devconf, number>>;
}

const MODE_NAMES = new Map(Object.entries(MACVLAN_MODE).map(([k, v]) => [v, k as MacvlanMode]));

export function parseLinkDetails(msg: NlMessage): LinkDetails | undefined {
  if (msg.type !== RTM_NEWLINK || msg.payload.length < 16) return undefined;
  const attrs = parseAttrs(msg.payload.subarray(16));
  const out: LinkDetails = { ifindex: msg.payload.readInt32LE(4), devconf: {} };
  const link = attrs.get(IFLA_LINK);
  if (link && link.length >= 4) out.parentIndex = link.readUInt32LE(0);
  const info = attrs.get(IFLA_LINKINFO);
  if (info) {
    const ia = parseAttrs(info);
    const kind = ia.get(IFLA_INFO_KIND);
    if (kind) out.kind = kind.toString('utf8').replace(/\0.*$/, '');
    const data = ia.get(IFLA_INFO_DATA);
    const mode = data ? parseAttrs(data).get(IFLA_MACVLAN_MODE) : undefined;
    if (out.kind === 'macvlan' && mode && mode.length >= 4) {
      const name = MODE_NAMES.get(mode.readUInt32LE(0) as never);
      if (name) out.macvlanMode = name;
    }
  }
  const inet = attrs.get(IFLA_AF_SPEC) ? parseAttrs(attrs.get(IFLA_AF_SPEC)!).get(AF_INET) : undefined;
  const conf = inet ? parseAttrs(inet).get(IFLA_INET_CONF) : undefined;
  if (conf) {
    for (const [name, id] of Object.entries(IPV4_DEVCONF)) {
      const off = (id - 1) * 4;
      if (off + 4 <= conf.length) out.devconf[name as Ipv4Devconf] = conf.readUInt32LE(off);
    }
  }
  return out;
}
