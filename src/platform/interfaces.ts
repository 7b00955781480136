/**
 * Interface facts from rtnetlink (not /sys/class/net: sysfs shows the namespace of whoever mounted it,
 * which is wrong for a process that entered a netns with setns() without remounting /sys).
 */
import { toPlatformError } from './capabilities.js';
import { bytesToIp } from './ip-bytes.js';
import type { NativeHandle } from './native.js';
import {
  type AddressMessage,
  AF_INET,
  AF_INET6,
  encodeIfAddrMsg,
  encodeIfInfoMsg,
  IFA_F_DADFAILED,
  IFA_F_SECONDARY,
  IFA_F_TENTATIVE,
  IFLA_IFNAME,
  type LinkMessage,
  NLM_F_DUMP,
  parseAddressMessage,
  parseLinkMessage,
  RTM_GETADDR,
  RTM_GETLINK,
  stringAttr,
} from './netlink/messages.js';
import { rtnlRequest } from './netlink/rtnl.js';

export interface LinkState {
  ifname: string;
  ifindex: number;
  /** Admin up (IFF_UP) and carrier (IFF_RUNNING): the interface can carry adverts. */
  up: boolean;
  adminUp: boolean;
  operstate: string;
}

export interface InterfaceAddress {
  family: 4 | 6;
  address: string;
  prefixLength: number;
  /** "address/prefixLength" */
  cidr: string;
  scope: 'global' | 'link' | 'host' | 'site' | 'nowhere';
  secondary: boolean;
  /** IPv6 DAD still running: the kernel refuses it as a source address. */
  tentative: boolean;
  dadFailed: boolean;
}

export interface InterfaceInfo {
  ifindex: number;
  ifname: string;
  mac: string;
  up: boolean;
  adminUp: boolean;
  operstate: string;
  /** Primary first; no prefix. */
  ipv4: string[];
  /** First usable (non-tentative preferred) fe80::/10 address. */
  ipv6LinkLocal?: string;
  ipv6LinkLocalTentative?: boolean;
  /** Non-link-local IPv6 addresses; no prefix. */
  ipv6: string[];
}

export function linkStateOf(m: LinkMessage): LinkState {
  return {
    ifname: m.ifname,
    ifindex: m.ifindex,
    up: m.adminUp && m.running,
    adminUp: m.adminUp,
    operstate: m.operstate,
  };
}

function getLinkMessage(ifname: string): LinkMessage {
  try {
    for (const m of rtnlRequest(RTM_GETLINK, Buffer.concat([encodeIfInfoMsg({}), stringAttr(IFLA_IFNAME, ifname)]))) {
      const link = parseLinkMessage(m);
      if (link) return link;
    }
  } catch (err) {
    throw toPlatformError(err, { action: 'read interface', ifname });
  }
  throw toPlatformError(Object.assign(new Error('no RTM_NEWLINK reply'), { code: 'ENODEV' }), {
    action: 'read',
    ifname,
  });
}

export function linkState(ifname: string): LinkState {
  return linkStateOf(getLinkMessage(ifname));
}

export function listLinks(socket?: NativeHandle): LinkState[] {
  return rtnlRequest(RTM_GETLINK, encodeIfInfoMsg({}), NLM_F_DUMP, socket)
    .map(parseLinkMessage)
    .filter((l): l is LinkMessage => l !== undefined)
    .map(linkStateOf);
}

const SCOPES: Record<number, InterfaceAddress['scope']> = {
  0: 'global',
  200: 'site',
  253: 'link',
  254: 'host',
  255: 'nowhere',
};

export function toInterfaceAddress(a: AddressMessage): InterfaceAddress {
  const address = bytesToIp(a.address);
  return {
    family: a.family,
    address,
    prefixLength: a.prefixLength,
    cidr: `${address}/${a.prefixLength}`,
    scope: SCOPES[a.scope] ?? 'global',
    secondary: (a.flags & IFA_F_SECONDARY) !== 0,
    tentative: (a.flags & IFA_F_TENTATIVE) !== 0,
    dadFailed: (a.flags & IFA_F_DADFAILED) !== 0,
  };
}

/** Addresses of one interface, in kernel order (for IPv4: primaries before secondaries). */
export function addressesOf(ifindex: number, family?: 4 | 6): InterfaceAddress[] {
  const fam = family === 4 ? AF_INET : family === 6 ? AF_INET6 : 0;
  // Without NETLINK_GET_STRICT_CHK the kernel ignores the index in a dump request: filter here.
  return rtnlRequest(
    RTM_GETADDR,
    encodeIfAddrMsg({ family: fam, prefixLength: 0, flags: 0, scope: 0, ifindex }),
    NLM_F_DUMP,
  )
    .map(parseAddressMessage)
    .filter((a): a is AddressMessage => a !== undefined && a.ifindex === ifindex)
    .map(toInterfaceAddress);
}

/** Throws PlatformError "interface 'X' does not exist" (code ENODEV) for a missing interface. */
export function interfaceInfo(ifname: string): InterfaceInfo {
  const link = getLinkMessage(ifname);
  const addrs = addressesOf(link.ifindex);
  const v4 = addrs.filter((a) => a.family === 4);
  const v6 = addrs.filter((a) => a.family === 6);
  const lls = v6.filter((a) => a.scope === 'link' && !a.dadFailed);
  const ll = lls.find((a) => !a.tentative) ?? lls[0];
  const state = linkStateOf(link);
  return {
    ifindex: link.ifindex,
    ifname: link.ifname,
    mac: link.mac ?? '00:00:00:00:00:00',
    up: state.up,
    adminUp: state.adminUp,
    operstate: state.operstate,
    ipv4: [...v4.filter((a) => !a.secondary), ...v4.filter((a) => a.secondary)].map((a) => a.address),
    ...(ll ? { ipv6LinkLocal: ll.address, ipv6LinkLocalTentative: ll.tentative } : {}),
    ipv6: v6.filter((a) => a.scope !== 'link' && !a.dadFailed).map((a) => a.address),
  };
}
