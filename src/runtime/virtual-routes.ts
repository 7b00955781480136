/**
 * keepalived's virtual_routes / virtual_rules (installed while Master) and static_routes / static_rules
 * (installed while the daemon runs), mapped to rtnetlink requests. A route or rule that fails is logged
 * with its config line and the others still go in, as keepalived does.
 */
import type { IpRoute, IpRule } from '../config/model.js';
import { addRoute, addRule, type RouteRequest, type RuleSpec, removeRoute, removeRule } from '../platform/routes.js';
import type { Logger } from '../util/logger.js';

/** RTPROT_KEEPALIVED: keepalived marks every route it adds with protocol 18 unless `protocol` is given. */
const PROTOCOL_KEEPALIVED = 18;

const fam = (f: IpRoute['family']): 4 | 6 => (f === 'ipv6' ? 6 : 4);

export function routeRequest(r: IpRoute): RouteRequest {
  return {
    family: fam(r.family),
    dst: r.dst,
    type: r.type,
    table: r.table,
    scope: r.scope ?? 0,
    protocol: r.protocol ?? PROTOCOL_KEEPALIVED,
    onlink: r.onlink,
    ...(r.src ? { src: r.src } : {}),
    ...(r.from ? { from: r.from } : {}),
    ...(r.via ? { via: r.via } : {}),
    ...(r.dev ? { dev: r.dev } : {}),
    ...(r.metric !== undefined ? { metric: r.metric } : {}),
    ...(r.nexthops ? { nexthops: r.nexthops } : {}),
  };
}

export function ruleSpec(r: IpRule): RuleSpec {
  const { family, pos: _pos, noTrack, action, protocol, ...rest } = r;
  // keepalived: a tracked rule carries protocol 18; a no_track one only what was configured.
  const proto = noTrack ? protocol : PROTOCOL_KEEPALIVED;
  return {
    ...rest,
    family: fam(family),
    action: action ?? 'table',
    ...(proto !== undefined ? { protocol: proto } : {}),
  };
}

const where = (x: { pos: { file: string; line: number } }): string => `${x.pos.file}:${x.pos.line}`;

/** A set of routes and rules that go in and out together. */
export class RouteSet {
  private readonly routes: { req: RouteRequest; text: string }[];
  private readonly rules: { spec: RuleSpec; text: string }[];

  constructor(
    routes: readonly IpRoute[],
    rules: readonly IpRule[],
    private readonly log: Logger,
  ) {
    this.routes = routes.map((r) => ({ req: routeRequest(r), text: where(r) }));
    this.rules = rules.map((r) => ({ spec: ruleSpec(r), text: where(r) }));
  }

  get empty(): boolean {
    return this.routes.length === 0 && this.rules.length === 0;
  }

  /** Routes first (a rule may point at a table they fill), then rules. */
  install(): void {
    for (const r of this.routes) this.guard('add route', r.text, () => addRoute(r.req, r.text));
    for (const r of this.rules) this.guard('add rule', r.text, () => addRule(r.spec, r.text));
  }

  remove(): void {
    for (const r of this.rules) this.guard('remove rule', r.text, () => removeRule(r.spec, r.text));
    for (const r of this.routes) this.guard('remove route', r.text, () => removeRoute(r.req, r.text));
  }

  private guard(what: string, at: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error(`failed to ${what}`, { config: at, error: (e as Error).message });
    }
  }
}

/** static_routes / static_rules: installed while the daemon runs; a reload replaces them only if they changed. */
export class StaticRoutes {
  private current: { key: string; set: RouteSet } | undefined;

  constructor(private readonly log: Logger) {}

  apply(routes: readonly IpRoute[] = [], rules: readonly IpRule[] = []): void {
    const key = JSON.stringify([routes.map(routeRequest), rules.map(ruleSpec)]);
    if (this.current?.key === key) return;
    this.current?.set.remove();
    const set = new RouteSet(routes, rules, this.log);
    set.install();
    this.current = { key, set };
  }

  remove(): void {
    this.current?.set.remove();
    this.current = undefined;
  }
}
