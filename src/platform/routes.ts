/**
 * Routes and policy rules through rtnetlink (keepalived's virtual_routes / virtual_rules / static_*).
 * Adding is idempotent (an existing identical route or rule is not an error); removing something that is
 * already gone is not an error either, so a crash-and-restart or a reload converges.
 */
import { toPlatformError } from './capabilities.js';
import { native } from './native.js';
import { NLM_F_CREATE, NLM_F_EXCL } from './netlink/messages.js';
import {
  type RouteSpec,
  RTM_DELROUTE,
  RTM_DELRULE,
  RTM_NEWROUTE,
  RTM_NEWRULE,
  type RuleSpec,
  routeBody,
  ruleBody,
} from './netlink/route-messages.js';
import { rtnlRequest } from './netlink/rtnl.js';

export type { RouteSpec, RuleSpec };

const codeOf = (err: unknown): string | undefined => (err as { code?: string }).code;

export interface NextHopRequest {
  via?: string;
  dev?: string;
  weight?: number;
  onlink?: boolean;
}

/** RouteSpec with interface names instead of indexes. */
export type RouteRequest = Omit<RouteSpec, 'oif' | 'nexthops'> & { dev?: string; nexthops?: NextHopRequest[] };

function ifindex(dev: string, dst: string): number {
  try {
    return native().ifNameToIndex(dev);
  } catch (err) {
    throw toPlatformError(err, { action: `add route ${dst}`, ifname: dev });
  }
}

function withOif(r: RouteRequest): RouteSpec {
  const { dev, nexthops, ...rest } = r;
  const spec: RouteSpec = { ...rest };
  if (dev !== undefined) spec.oif = ifindex(dev, r.dst);
  if (nexthops) {
    spec.nexthops = nexthops.map(({ dev: d, ...h }) => (d === undefined ? h : { ...h, oif: ifindex(d, r.dst) }));
  }
  return spec;
}

export function addRoute(r: RouteRequest, text: string): void {
  try {
    rtnlRequest(RTM_NEWROUTE, routeBody(withOif(r)), NLM_F_CREATE | NLM_F_EXCL);
  } catch (err) {
    if (codeOf(err) === 'EEXIST') return;
    throw toPlatformError(err, { action: `add route '${text}'`, capability: 'CAP_NET_ADMIN' });
  }
}

export function removeRoute(r: RouteRequest, text: string): void {
  let spec: RouteSpec;
  try {
    spec = withOif(r);
  } catch {
    // Its interface is gone, and the kernel removed the route with it.
    return;
  }
  try {
    rtnlRequest(RTM_DELROUTE, routeBody(spec, true));
  } catch (err) {
    if (codeOf(err) === 'ESRCH' || codeOf(err) === 'ENODEV') return;
    throw toPlatformError(err, { action: `remove route '${text}'`, capability: 'CAP_NET_ADMIN' });
  }
}

export function addRule(r: RuleSpec, text: string): void {
  try {
    rtnlRequest(RTM_NEWRULE, ruleBody(r), NLM_F_CREATE | NLM_F_EXCL);
  } catch (err) {
    if (codeOf(err) === 'EEXIST') return;
    throw toPlatformError(err, { action: `add rule '${text}'`, capability: 'CAP_NET_ADMIN' });
  }
}

export function removeRule(r: RuleSpec, text: string): void {
  try {
    rtnlRequest(RTM_DELRULE, ruleBody(r));
  } catch (err) {
    if (codeOf(err) === 'ENOENT' || codeOf(err) === 'ESRCH') return;
    throw toPlatformError(err, { action: `remove rule '${text}'`, capability: 'CAP_NET_ADMIN' });
  }
}
