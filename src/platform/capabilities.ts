/**
 * Turns OS errors into one-line, actionable PlatformErrors, and checks the process's capabilities.
 * Raw and packet sockets need CAP_NET_RAW; changing addresses (rtnetlink) needs CAP_NET_ADMIN.
 */
import { readFileSync } from 'node:fs';
import { PlatformError } from '../util/errors.js';

export type Capability = 'CAP_NET_RAW' | 'CAP_NET_ADMIN';

export interface ErrorContext {
  /** What was being done, e.g. "open the VRRP socket", "add 10.0.0.1/24". */
  action: string;
  ifname?: string;
  address?: string;
  /** The capability this operation needs, named in EPERM messages. */
  capability?: Capability;
}

function errCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Maps an errno-coded error (from the addon or rtnetlink) to a PlatformError keeping the errno name as code. */
export function toPlatformError(err: unknown, ctx: ErrorContext): PlatformError {
  if (err instanceof PlatformError) return err;
  const code = errCode(err);
  const on = ctx.ifname ? ` on ${ctx.ifname}` : '';
  const addr = ctx.address ?? 'the address';
  let message: string;
  switch (code) {
    case 'EPERM':
    case 'EACCES':
      message = `cannot ${ctx.action}${on}: vrrpd needs ${ctx.capability ?? 'CAP_NET_RAW and CAP_NET_ADMIN'} (run as root)`;
      break;
    case 'ENODEV':
    case 'ENXIO':
      message = `interface '${ctx.ifname ?? '?'}' does not exist`;
      break;
    case 'EADDRNOTAVAIL':
      message = `cannot ${ctx.action}: ${addr} is not configured${on}`;
      break;
    case 'EADDRINUSE':
      message = `cannot ${ctx.action}: ${addr} is already in use${on}`;
      break;
    case 'EEXIST':
      message = `cannot ${ctx.action}: ${addr} already exists${on}`;
      break;
    case 'ENETDOWN':
      message = `cannot ${ctx.action}: interface '${ctx.ifname ?? '?'}' is down`;
      break;
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      message = `cannot ${ctx.action}: no route to ${addr}${on} (is the interface up and addressed?)`;
      break;
    case 'EINVAL':
      // The kernel answers EINVAL to an IPv6 send whose source is still tentative (DAD in progress).
      message = `cannot ${ctx.action}${on}: invalid argument (${errMessage(err)}); an IPv6 source may still be tentative (DAD)`;
      break;
    case 'ENOBUFS':
    case 'EAGAIN':
      message = `cannot ${ctx.action}${on}: socket buffer full (${code}), try again`;
      break;
    default:
      message = `cannot ${ctx.action}${on}: ${errMessage(err)}`;
  }
  return new PlatformError(message, code, { cause: err });
}

/** Effective capability bits (from /proc/<pid>/status CapEff). */
export const CAP_BITS: Record<Capability, number> = { CAP_NET_ADMIN: 12, CAP_NET_RAW: 13 };

export function parseCapEff(status: string): bigint | undefined {
  const m = /^CapEff:\s*([0-9a-f]+)\s*$/im.exec(status);
  return m?.[1] ? BigInt(`0x${m[1]}`) : undefined;
}

export function hasCapability(cap: Capability, status: string = readFileSync('/proc/self/status', 'utf8')): boolean {
  const eff = parseCapEff(status);
  return eff !== undefined && ((eff >> BigInt(CAP_BITS[cap])) & 1n) === 1n;
}

/** Throws one PlatformError (code EPERM) naming every missing capability, before any socket is opened. */
export function assertCapabilities(
  caps: readonly Capability[] = ['CAP_NET_RAW', 'CAP_NET_ADMIN'],
  status: string = readFileSync('/proc/self/status', 'utf8'),
): void {
  const missing = caps.filter((c) => !hasCapability(c, status));
  if (missing.length > 0) {
    throw new PlatformError(`vrrpd needs ${missing.join(' and ')} (run as root)`, 'EPERM');
  }
}
