/**
 * VIP add/remove/list through rtnetlink (RTM_NEWADDR/RTM_DELADDR) instead of spawning `ip`.
 * Measured in a netns: `ip addr add` through execa takes ~10–15 ms median (up to 30 ms); the
 * rtnetlink request takes tens of µs. Adding VIPs is on the takeover path, so spawning was not kept.
 */
import { toPlatformError } from './capabilities.js';
import { addressesOf, type InterfaceAddress } from './interfaces.js';
import { ipToBytes, parseCidr } from './ip-bytes.js';
import { native } from './native.js';
import {
  AF_INET,
  AF_INET6,
  encodeAttr,
  encodeIfAddrMsg,
  IFA_ADDRESS,
  IFA_BROADCAST,
  IFA_CACHEINFO,
  IFA_F_NODAD,
  IFA_F_NOPREFIXROUTE,
  IFA_FLAGS,
  IFA_LABEL,
  IFA_LOCAL,
  INFINITY_LIFE_TIME,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RT_SCOPE_HOST,
  RT_SCOPE_UNIVERSE,
  RTM_DELADDR,
  RTM_NEWADDR,
  u32Attr,
} from './netlink/messages.js';
import { rtnlRequest } from './netlink/rtnl.js';

export interface AddAddressOptions {
  /**
   * IPv6 only: skip Duplicate Address Detection (`ip addr add … nodad`). Without it a new VIP is
   * tentative for ~1 s (and unusable as a source) after takeover.
   */
  noDad?: boolean;
  /**
   * Do not install the prefix route (`noprefixroute`). Off by default, as keepalived does: a VIP in a
   * subnet the interface does not otherwise have then still gets its connected route.
   */
  noPrefixRoute?: boolean;
  /** More IFA_F_* flags (home, mngtmpaddr, autojoin). */
  flags?: number;
  /** IPv4 label (`label eth0:1`). */
  label?: string;
  /** IPv4 broadcast address. */
  broadcast?: string;
  /** Address scope (RT_SCOPE_*); default universe (host for 127/8). */
  scope?: number;
  /** Point-to-point peer address (IFA_ADDRESS); the prefix length then applies to it. */
  peer?: string;
  /** IPv6 preferred lifetime in seconds (0 = deprecated: never chosen as a source); default forever. */
  preferredLft?: number;
}

/** struct ifa_cacheinfo: preferred and valid lifetimes (valid forever), timestamps left to the kernel. */
function cacheInfo(preferred: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(preferred >>> 0, 0);
  b.writeUInt32LE(INFINITY_LIFE_TIME, 4);
  return b;
}

function ifindexOf(ifname: string, action: string): number {
  try {
    return native().ifNameToIndex(ifname);
  } catch (err) {
    throw toPlatformError(err, { action, ifname });
  }
}

/**
 * Adds `cidr` ("10.0.0.254/24", "2001:db8::1/64"; a bare address means /32 or /128).
 * Idempotent: returns false if the address was already there, true if it was added.
 */
export function addAddress(ifname: string, cidr: string, opts: AddAddressOptions = {}): boolean {
  const c = parseCidr(cidr);
  const action = `add ${c.address}/${c.prefixLength}`;
  const ifindex = ifindexOf(ifname, action);
  const flags =
    (opts.noDad && c.family === 6 ? IFA_F_NODAD : 0) |
    (opts.noPrefixRoute ? IFA_F_NOPREFIXROUTE : 0) |
    (opts.flags ?? 0);
  const addr = ipToBytes(c.address);
  // As iproute2 does: the scope is host for 127/8, universe otherwise (the kernel derives it for IPv6).
  const scope = opts.scope ?? (c.family === 4 && addr[0] === 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE);
  const v4 = c.family === 4;
  const body = Buffer.concat([
    encodeIfAddrMsg({
      family: c.family === 4 ? AF_INET : AF_INET6,
      prefixLength: c.prefixLength,
      flags,
      scope,
      ifindex,
    }),
    encodeAttr(IFA_LOCAL, addr),
    encodeAttr(IFA_ADDRESS, opts.peer ? ipToBytes(opts.peer) : addr),
    // ifa_flags is 8 bits; NOPREFIXROUTE (0x200) only fits in the IFA_FLAGS attribute.
    ...(flags > 0xff ? [u32Attr(IFA_FLAGS, flags)] : []),
    ...(v4 && opts.broadcast ? [encodeAttr(IFA_BROADCAST, ipToBytes(opts.broadcast))] : []),
    ...(v4 && opts.label ? [encodeAttr(IFA_LABEL, Buffer.from(`${opts.label}\0`))] : []),
    ...(!v4 && opts.preferredLft !== undefined && opts.preferredLft !== INFINITY_LIFE_TIME
      ? [encodeAttr(IFA_CACHEINFO, cacheInfo(opts.preferredLft))]
      : []),
  ]);
  try {
    rtnlRequest(RTM_NEWADDR, body, NLM_F_CREATE | NLM_F_EXCL);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'EEXIST') return false;
    throw toPlatformError(err, { action, ifname, address: cidr, capability: 'CAP_NET_ADMIN' });
  }
}

/**
 * Removes an address. Idempotent: returns false if it was not there (or the interface is gone).
 * With a bare address the prefix length is whatever is configured.
 */
export function removeAddress(ifname: string, cidr: string): boolean {
  const explicitPrefix = cidr.includes('/');
  const c = parseCidr(cidr);
  const action = `remove ${c.address}`;
  let ifindex: number;
  try {
    ifindex = native().ifNameToIndex(ifname);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENODEV') return false;
    throw toPlatformError(err, { action, ifname });
  }
  let prefixLength = c.prefixLength;
  if (!explicitPrefix) {
    const found = addressesOf(ifindex, c.family).find((a) => a.address === c.address);
    if (!found) return false;
    prefixLength = found.prefixLength;
  }
  const addr = ipToBytes(c.address);
  const body = Buffer.concat([
    encodeIfAddrMsg({ family: c.family === 4 ? AF_INET : AF_INET6, prefixLength, flags: 0, scope: 0, ifindex }),
    encodeAttr(IFA_LOCAL, addr),
    // IPv4: with IFA_ADDRESS the kernel also matches the prefix length, so "10.0.0.1/24" does not remove a /32.
    encodeAttr(IFA_ADDRESS, addr),
  ]);
  try {
    rtnlRequest(RTM_DELADDR, body);
    return true;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRNOTAVAIL' || code === 'ENODEV' || code === 'ESRCH') return false;
    throw toPlatformError(err, { action, ifname, address: cidr, capability: 'CAP_NET_ADMIN' });
  }
}

/** Every address on the interface, IPv4 primaries first (kernel order). */
export function listAddresses(ifname: string): InterfaceAddress[] {
  const ifindex = ifindexOf(ifname, 'list addresses');
  try {
    return addressesOf(ifindex);
  } catch (err) {
    throw toPlatformError(err, { action: 'list addresses', ifname });
  }
}

export type { InterfaceAddress };
