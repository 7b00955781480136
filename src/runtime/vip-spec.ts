import type { VirtualIpAddress } from '../config/model.js';
import type { AddAddressOptions } from '../platform/addresses.js';
import { parseAddress } from '../protocol/index.js';

/** A VIP or excluded VIP as the runtime installs it: where, and with which `ip address add` options. */
export interface VipSpec {
  /** "address/prefix" */
  cidr: string;
  address: string;
  family: 4 | 6;
  dev: string;
  options: AddAddressOptions;
  /** `no_track`: removing it from outside does not take the instance out of MASTER. */
  noTrack: boolean;
  /** The address option `use_vmac`: the address lives on a VMAC of its own (runtime/vmac-plan.ts). */
  useVmac?: boolean;
}

/** iproute2's rt_scopes names (keepalived reads the same table). */
const SCOPES: Record<string, number> = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 };

const FLAG_BITS: Record<string, number> = { home: 0x10, mngtmpaddr: 0x100, autojoin: 0x400 };
const FOREVER = 0xffffffff;

function scopeOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text) && Number(text) <= 255) return Number(text);
  return SCOPES[text];
}

/** `brd +` / `brd -`: the broadcast / network address of the prefix (keepalived: only for prefixes ≤ /30). */
function broadcastOf(address: string, prefixLength: number, brd: string): string | undefined {
  if (brd !== '+' && brd !== '-') return brd;
  if (prefixLength > 30) return undefined;
  const b = parseAddress(address).bytes;
  const n = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const hostMask = (0xffffffff >>> prefixLength) >>> 0;
  const v = (brd === '+' ? n | hostMask : n & ~hostMask) >>> 0;
  return [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff].join('.');
}

/**
 * keepalived 2.2.7's meaning of a `virtual_ipaddress` line (vrrp_ipaddress.c): `dev` (default the instance's
 * interface), `brd ADDR|+|-` (IPv4), `scope NAME|N` and `label` (IPv4 only; keepalived ignores them for
 * IPv6), `peer`, the flags `home`/`mngtmpaddr`/`noprefixroute`/`autojoin`, `-nodad` (IPv6 VIPs are added
 * without DAD otherwise) and `preferred_lft N|forever` (IPv6; default 0 for a /128 so the VIP is never picked
 * as a source address, forever otherwise).
 */
export function vipSpec(v: VirtualIpAddress, defaultDev: string): VipSpec {
  const family = v.family === 'ipv6' ? 6 : 4;
  const options: AddAddressOptions = {};
  let flags = 0;
  let noDad = family === 6;
  let preferredLft: number | undefined;
  const extra = v.extraOptions;
  for (let i = 0; i < extra.length; i++) {
    const o = extra[i]!;
    if (o === 'noprefixroute') options.noPrefixRoute = true;
    else if (o === '-nodad') noDad = false;
    else if (o === 'preferred_lft') {
      const value = extra[++i];
      preferredLft = value === 'forever' ? FOREVER : Number(value);
    } else flags |= FLAG_BITS[o] ?? 0;
  }
  if (flags) options.flags = flags;
  if (noDad) options.noDad = true;
  if (v.peer) options.peer = v.peer;
  if (family === 4) {
    const scope = scopeOf(v.scope);
    if (scope !== undefined) options.scope = scope;
    if (v.label) options.label = v.label;
    const brd = v.brd && !v.peer ? broadcastOf(v.address, v.prefixLength, v.brd) : undefined;
    if (brd) options.broadcast = brd;
  } else {
    options.preferredLft = preferredLft ?? (v.prefixLength === 128 ? 0 : FOREVER);
  }
  return {
    cidr: `${v.address}/${v.prefixLength}`,
    address: v.address,
    family,
    dev: v.dev ?? defaultDev,
    options,
    noTrack: v.noTrack,
    ...(v.extraOptions.includes('use_vmac') ? { useVmac: true } : {}),
  };
}
