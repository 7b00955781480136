/**
 * VRRP virtual MAC interfaces (keepalived's `use_vmac`): a macvlan in private mode on the instance's
 * interface, with MAC 00:00:5e:00:01:VRID (IPv6: 00:00:5e:00:02:VRID, RFC 5798 §7.3), that carries the VIPs.
 *
 * Kernel facts this relies on (see docs/quirks.md):
 * - private mode: a multicast frame whose source MAC is one of the parent's macvlans is delivered to that
 *   macvlan only, not to the parent. The peer's adverts come from the same VMAC, so they must be received
 *   on the macvlan, not on the parent.
 * - the parent answers ARP for any local address (arp_ignore=0) with its own MAC; keepalived sets
 *   arp_ignore=1 and arp_filter=1 on the parent (restored at removal) so only the macvlan answers for VIPs,
 *   and arp_ignore=1, accept_local=1, rp_filter=0, promote_secondaries=1 on the macvlan. rp_filter=0 only
 *   takes effect with net.ipv4.conf.all.rp_filter=0 (the kernel uses the max of all and the interface),
 *   so all.rp_filter is lowered to 0 after raising every interface (and default) to its old value.
 * - addrgenmode none: no EUI-64 link-local derived from the VMAC (both peers would own the same one).
 */

import { addAddress } from './addresses.js';
import { toPlatformError } from './capabilities.js';
import { interfaceInfo, listLinks } from './interfaces.js';
import { native } from './native.js';
import {
  addrGenModeNoneBody,
  delLinkBody,
  encodeIfInfoMsgWithFlags,
  type Ipv4Devconf,
  type LinkDetails,
  newMacvlanBody,
  parseLinkDetails,
  setIpv4DevconfBody,
  setLinkUpBody,
} from './netlink/link-messages.js';
import {
  IFLA_IFNAME,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RTM_DELLINK,
  RTM_GETLINK,
  RTM_NEWLINK,
  stringAttr,
} from './netlink/messages.js';
import { rtnlRequest } from './netlink/rtnl.js';
import { readSysctl, writeSysctl } from './sysctl.js';

/** 00:00:5e:00:01:VRID for IPv4, 00:00:5e:00:02:VRID for IPv6 (RFC 5798 §7.3). */
export function vrrpVirtualMac(vrid: number, family: 4 | 6): string {
  return `00:00:5e:00:0${family === 4 ? 1 : 2}:${vrid.toString(16).padStart(2, '0')}`;
}

export interface VmacSpec {
  /** The macvlan's name (keepalived: `vrrp.VRID`, or the name given to use_vmac). */
  name: string;
  /** The interface the macvlan sits on (the instance's `interface`). */
  parent: string;
  mac: string;
  family: 4 | 6;
  /** IPv6 and not vmac_xmit_base: adverts leave from the macvlan, so it needs a link-local source. */
  linkLocal?: string;
}

/** A macvlan vrrpd created; pass it back to removeVmac(). */
export interface VmacHandle {
  spec: VmacSpec;
  ifindex: number;
}

function linkDetails(name: string): LinkDetails | undefined {
  try {
    for (const m of rtnlRequest(
      RTM_GETLINK,
      Buffer.concat([encodeIfInfoMsgWithFlags({}), stringAttr(IFLA_IFNAME, name)]),
    )) {
      const d = parseLinkDetails(m);
      if (d) return d;
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'ENODEV') return undefined;
    throw toPlatformError(err, { action: 'read interface', ifname: name });
  }
  return undefined;
}

function request(type: number, body: Buffer, flags: number, action: string, ifname: string): void {
  try {
    rtnlRequest(type, body, flags);
  } catch (err) {
    throw toPlatformError(err, { action, ifname, capability: 'CAP_NET_ADMIN' });
  }
}

function setDevconf(ifindex: number, ifname: string, values: Partial<Record<Ipv4Devconf, number>>): void {
  request(RTM_NEWLINK, setIpv4DevconfBody(ifindex, values), 0, `set ${Object.keys(values).join(', ')}`, ifname);
}

/** Parent settings saved by the first VMAC on a parent and restored when its last VMAC goes. */
const parents = new Map<number, { users: number; saved: Partial<Record<Ipv4Devconf, number>> }>();
/** all.rp_filter and what was raised to keep the effective rp_filter of other interfaces unchanged. */
let rpFilter: { all: number; default?: number; raised: Map<string, number>; users: number } | undefined;

/** keepalived's clear_rp_filter(): all.rp_filter → 0 without changing the effective value elsewhere. */
function clearAllRpFilter(): void {
  if (rpFilter) {
    rpFilter.users++;
    return;
  }
  const all = readSysctl(['net', 'ipv4', 'conf', 'all', 'rp_filter']) ?? 0;
  rpFilter = { all, raised: new Map(), users: 1 };
  if (all === 0) return;
  const def = readSysctl(['net', 'ipv4', 'conf', 'default', 'rp_filter']) ?? 0;
  if (def < all) {
    rpFilter.default = def;
    writeSysctl(['net', 'ipv4', 'conf', 'default', 'rp_filter'], all);
  }
  for (const l of listLinks()) {
    const v = readSysctl(['net', 'ipv4', 'conf', l.ifname, 'rp_filter']);
    if (v !== undefined && v < all) {
      rpFilter.raised.set(l.ifname, v);
      writeSysctl(['net', 'ipv4', 'conf', l.ifname, 'rp_filter'], all);
    }
  }
  writeSysctl(['net', 'ipv4', 'conf', 'all', 'rp_filter'], 0);
}

/** keepalived's restore_rp_filter(): only values still as vrrpd left them are put back. */
function restoreAllRpFilter(): void {
  if (!rpFilter || --rpFilter.users > 0) return;
  const r = rpFilter;
  rpFilter = undefined;
  if (r.all === 0) return;
  const conf = (name: string): string[] => ['net', 'ipv4', 'conf', name, 'rp_filter'];
  if (readSysctl(conf('all')) === 0) writeSysctl(conf('all'), r.all);
  if (r.default !== undefined && readSysctl(conf('default')) === r.all) writeSysctl(conf('default'), r.default);
  for (const [ifname, old] of r.raised) if (readSysctl(conf(ifname)) === r.all) writeSysctl(conf(ifname), old);
}

/**
 * Creates (or adopts, when it already is a private macvlan with the right MAC on the right parent) the
 * VMAC interface, configures it as keepalived does and brings it up. Throws PlatformError if the name is
 * taken by an interface that is not such a macvlan.
 */
export function createVmac(spec: VmacSpec): VmacHandle {
  let parentIndex: number;
  try {
    parentIndex = native().ifNameToIndex(spec.parent);
  } catch (err) {
    throw toPlatformError(err, { action: 'create the VMAC interface', ifname: spec.parent });
  }
  const existing = linkDetails(spec.name);
  if (existing) {
    const mac = interfaceInfo(spec.name).mac;
    const ours =
      existing.kind === 'macvlan' &&
      existing.parentIndex === parentIndex &&
      existing.macvlanMode === 'private' &&
      mac === spec.mac;
    if (!ours) {
      if (existing.kind !== 'macvlan') {
        throw toPlatformError(Object.assign(new Error('exists'), { code: 'EEXIST' }), {
          action: `create VMAC interface ${spec.name}`,
          address: `interface ${spec.name} (not a macvlan)`,
        });
      }
      // A macvlan left by an earlier run with another MAC, mode or parent: replace it, as keepalived does.
      request(RTM_DELLINK, delLinkBody(existing.ifindex), 0, `remove stale VMAC ${spec.name}`, spec.name);
    }
  }
  if (!existing || linkDetails(spec.name) === undefined) {
    request(
      RTM_NEWLINK,
      newMacvlanBody({ name: spec.name, parentIndex, mac: spec.mac, mode: 'private' }),
      NLM_F_CREATE | NLM_F_EXCL,
      `create VMAC interface ${spec.name}`,
      spec.parent,
    );
  }
  const ifindex = native().ifNameToIndex(spec.name);
  request(RTM_NEWLINK, addrGenModeNoneBody(ifindex), 0, 'set addrgenmode none', spec.name);
  if (spec.family === 4) configureIpv4(spec, ifindex, parentIndex);
  // An IPv4 instance's VMAC carries no IPv6 (keepalived: link_set_ipv6(false)).
  writeSysctl(['net', 'ipv6', 'conf', spec.name, 'disable_ipv6'], spec.family === 4 ? 1 : 0);
  request(RTM_NEWLINK, setLinkUpBody(ifindex, true), 0, 'bring the VMAC interface up', spec.name);
  // Not Master yet: frames to the VMAC are not routed (setVmacForwarding).
  if (spec.family === 4) setVmacForwarding({ spec, ifindex }, false);
  if (spec.linkLocal) addAddress(spec.name, `${spec.linkLocal}/64`, { noDad: true });
  return { spec, ifindex };
}

function configureIpv4(spec: VmacSpec, ifindex: number, parentIndex: number): void {
  clearAllRpFilter();
  setDevconf(ifindex, spec.name, { arp_ignore: 1, accept_local: 1, rp_filter: 0, promote_secondaries: 1 });
  const p = parents.get(parentIndex);
  if (p) {
    p.users++;
    return;
  }
  const current = linkDetails(spec.parent)?.devconf ?? {};
  const saved = { arp_ignore: current.arp_ignore ?? 0, arp_filter: current.arp_filter ?? 0 };
  parents.set(parentIndex, { users: 1, saved });
  setDevconf(parentIndex, spec.parent, { arp_ignore: 1, arp_filter: 1 });
}

/**
 * RFC 5798 §6.4.2: a Backup MUST NOT forward packets sent to the VMAC. The macvlan stays up while Backup, so
 * IPv4 routing is gated per interface instead: Linux routes a packet only if its input interface forwards
 * (conf.IF.forwarding). Master: the machine's own setting (all.forwarding); otherwise 0. keepalived 2.2.7
 * leaves the macvlan forwarding in Backup (docs/quirks.md Q45). IPv6 has no per-interface gate.
 */
export function setVmacForwarding(h: VmacHandle, master: boolean): void {
  if (h.spec.family !== 4) return;
  const value = master ? (readSysctl(['net', 'ipv4', 'conf', 'all', 'forwarding']) ?? 0) : 0;
  writeSysctl(['net', 'ipv4', 'conf', h.spec.name, 'forwarding'], value);
}

/** Deletes the macvlan (its VIPs go with it) and restores what createVmac changed on the parent. Idempotent. */
export function removeVmac(h: VmacHandle): void {
  const current = linkDetails(h.spec.name);
  if (current && current.ifindex === h.ifindex) {
    try {
      rtnlRequest(RTM_DELLINK, delLinkBody(h.ifindex));
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENODEV') {
        throw toPlatformError(err, { action: `remove VMAC interface ${h.spec.name}`, capability: 'CAP_NET_ADMIN' });
      }
    }
  }
  if (h.spec.family !== 4) return;
  let parentIndex: number | undefined;
  try {
    parentIndex = native().ifNameToIndex(h.spec.parent);
  } catch {
    parentIndex = undefined;
  }
  const p = parentIndex === undefined ? undefined : parents.get(parentIndex);
  if (p && parentIndex !== undefined && --p.users === 0) {
    parents.delete(parentIndex);
    setDevconf(parentIndex, h.spec.parent, p.saved);
  }
  restoreAllRpFilter();
}

export { linkDetails };
