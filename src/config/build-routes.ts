/**
 * `virtual_routes { }` / `virtual_rules { }` (and the top-level `static_routes` / `static_rules`) lines,
 * with keepalived 2.2.7's syntax (vrrp_iproute.c / vrrp_iprule.c parsers): one route or rule per line,
 * `ip route` / `ip rule` words. Options keepalived accepts and vrrpd does not apply are warned about by name.
 */
import type { Diagnostics } from './diagnostics.js';
import { parsePrefix } from './ip.js';
import type { AddressFamily, IpRoute, IpRule, NextHop, RouteType, RuleAction } from './model.js';
import type { Arg, Statement } from './tree.js';
import { expectBlock, expectNoBlock } from './values.js';

const TABLE_NAMES: Record<string, number> = { default: 253, main: 254, local: 255 };
const SCOPE_NAMES: Record<string, number> = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 };
const ROUTE_TYPES: ReadonlySet<string> = new Set(['unicast', 'blackhole', 'unreachable', 'prohibit', 'throw']);
/** Route metrics and flags keepalived passes to the kernel that vrrpd does not set (each takes one value). */
const ROUTE_VALUE_OPTIONS_IGNORED = new Set(
  `mtu hoplimit advmss rtt rttvar reordering window cwnd ssthresh realms rto_min initcwnd initrwnd features
  quickack congctl pref ttl-propagate fastopen_no_cookie expires tos dsfield as track_group vrf`.split(/\s+/),
);
const RULE_VALUE_OPTIONS_IGNORED = new Set(
  'realms suppress_ifgroup uidrange tun_id ipproto sport dport tos dsfield track_group'.split(/\s+/),
);

function readNumber(text: string | undefined, max = 0xffffffff): number | undefined {
  if (text === undefined) return undefined;
  const n = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return n >= 0 && n <= max ? n : undefined;
}

function readTable(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return TABLE_NAMES[text] ?? readNumber(text);
}

/** "default", "ADDR" or "ADDR/LEN" → normalised CIDR; family checked against what the line has so far. */
function readPrefix(
  text: string,
  family: AddressFamily | undefined,
): { cidr: string; family: AddressFamily } | { error: string } {
  if (text === 'default' || text === 'all') {
    const f = family ?? 'ipv4';
    return { cidr: f === 'ipv4' ? '0.0.0.0/0' : '::/0', family: f };
  }
  const p = parsePrefix(text);
  if (!p.ok) return { error: p.message };
  if (family && family !== p.value.family) return { error: `cannot mix IPv4 and IPv6 addresses (${text})` };
  return { cidr: `${p.value.address}/${p.value.prefixLength}`, family: p.value.family };
}

class LineReader {
  i = 0;
  /** Set by `inet` / `inet6` or by the first address on the line. */
  family: AddressFamily | undefined;
  constructor(
    readonly words: Arg[],
    readonly line: Statement,
    readonly what: string,
    readonly diags: Diagnostics,
  ) {}
  get done(): boolean {
    return this.i >= this.words.length;
  }
  next(): string | undefined {
    return this.words[this.i++]?.value;
  }
  value(opt: string): string | undefined {
    const v = this.next();
    if (v === undefined) this.error(`'${opt}' needs a value`);
    return v;
  }
  /** The option's value as a number 0..max; on anything else reports "OPT needs NEED" and returns undefined. */
  num(opt: string, need: string, max?: number): number | undefined {
    const v = readNumber(this.value(opt), max);
    if (v === undefined) this.error(`${opt} needs ${need}`);
    return v;
  }
  table(opt: string): number | undefined {
    const v = this.value(opt);
    const t = readTable(v);
    if (t === undefined) this.error(`unknown table '${v}' (use a number, main, local or default)`);
    return t;
  }
  /** keepalived reports a bad route/rule line and runs without it; so does vrrpd, with a warning. */
  error(msg: string): void {
    this.diags.warning(this.line.pos, `${this.what}: ${msg}; line ignored`, this.what);
  }
  warn(msg: string): void {
    this.diags.warning(this.line.pos, `${this.what}: ${msg}`, this.what);
  }
}

/** The words of a block line: the statement keyword is the first word. */
const wordsOf = (line: Statement): Arg[] => [{ value: line.keyword, quoted: false, pos: line.pos }, ...line.args];

/** Options that take one number: word → field, and the largest value. */
type NumberOptions = Record<string, { field: string; max?: number }>;
const ROUTE_NUMBERS: NumberOptions = {
  metric: { field: 'metric' },
  priority: { field: 'metric' },
  preference: { field: 'metric' },
  protocol: { field: 'protocol', max: 255 },
};
const RULE_NUMBERS: NumberOptions = {
  preference: { field: 'priority' },
  priority: { field: 'priority' },
  pref: { field: 'priority' },
  prio: { field: 'priority' },
  suppress_prefixlength: { field: 'suppressPrefixLength', max: 128 },
  protocol: { field: 'protocol', max: 255 },
};

/** Words routes and rules share the handling of: `inet` / `inet6`, `no_track`, and one-number options. */
function sharedOption(
  w: string,
  rd: LineReader,
  r: { noTrack: boolean },
  numbers: NumberOptions,
): 'done' | 'error' | 'no' {
  if (w === 'inet' || w === 'inet6') {
    rd.family = w === 'inet' ? 'ipv4' : 'ipv6';
    return 'done';
  }
  if (w === 'no_track') {
    r.noTrack = true;
    return 'done';
  }
  const opt = numbers[w];
  if (!opt) return 'no';
  const v = rd.num(w, opt.max === undefined ? 'a number' : `a number 0..${opt.max}`, opt.max);
  if (v === undefined) return 'error';
  (r as Record<string, unknown>)[opt.field] = v;
  return 'done';
}

/** keepalived: a tracked (not no_track) route or rule always carries protocol 18; another one is reset, loudly. */
function resetProtocolIfTracked(r: { protocol?: number; noTrack: boolean }, rd: LineReader, what: string): void {
  if (r.noTrack || r.protocol === undefined || r.protocol === 18) return;
  rd.warn(`${what} cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol`);
  delete r.protocol;
}

/** Every line of the block through `parse` (a bad line is skipped, warned), then the tracking warning. */
function buildLines<T extends { noTrack: boolean }>(
  stmt: Statement,
  diags: Diagnostics,
  parse: (rd: LineReader) => T | undefined,
): T[] {
  const out: T[] = [];
  for (const line of expectBlock(stmt, diags)) {
    expectNoBlock(line, diags);
    const r = parse(new LineReader(wordsOf(line), line, stmt.keyword, diags));
    if (r) out.push(r);
  }
  warnUntracked(stmt, out, diags);
  return out;
}

export function buildRoutes(stmt: Statement, diags: Diagnostics): IpRoute[] {
  return buildLines(stmt, diags, parseRoute);
}

/**
 * keepalived watches its routes and rules: one deleted from outside sends a virtual_* owner's Master to
 * Backup and is re-added for static_*. vrrpd installs and removes them but does not watch; say so once
 * per block unless every line is `no_track`.
 */
function warnUntracked(stmt: Statement, items: readonly { noTrack: boolean }[], diags: Diagnostics): void {
  if (!items.some((i) => !i.noTrack)) return;
  const reaction = stmt.keyword.startsWith('static') ? 're-adds it' : 'sends the Master to Backup';
  diags.warning(
    stmt.pos,
    `${stmt.keyword}: keepalived ${reaction} when one is deleted from outside; vrrpd does not watch for that (add no_track to each line to silence)`,
    stmt.keyword,
  );
}

function parseRoute(rd: LineReader): IpRoute | undefined {
  let dst: string | undefined;
  let type: RouteType = 'unicast';
  const r: Omit<IpRoute, 'family' | 'dst' | 'type'> = { table: 254, onlink: false, noTrack: false, pos: rd.line.pos };
  const addr = (opt: string): string | undefined => {
    const v = rd.value(opt);
    if (v === undefined) return undefined;
    const p = readPrefix(v, rd.family);
    if ('error' in p) {
      rd.error(`${opt}: ${p.error}`);
      return undefined;
    }
    rd.family = p.family;
    return p.cidr;
  };
  while (!rd.done) {
    const w = rd.next()!;
    const shared = sharedOption(w, rd, r, ROUTE_NUMBERS);
    if (shared === 'error') return undefined;
    if (shared === 'done') continue;
    switch (w) {
      case 'src': {
        const v = addr('src');
        if (v === undefined) return undefined;
        r.src = v.replace(/\/\d+$/, '');
        break;
      }
      case 'from': {
        const v = addr('from');
        if (v === undefined) return undefined;
        r.from = v;
        break;
      }
      case 'via':
      case 'gw': {
        if (w === 'gw') rd.warn('"gw" for routes is deprecated. Please use "via"');
        let v = rd.value(w);
        if (v === 'inet' || v === 'inet6') v = rd.value(w);
        if (v === undefined) return undefined;
        const p = readPrefix(v, rd.family);
        if ('error' in p) return void rd.error(`${w}: ${p.error}`);
        rd.family = p.family;
        r.via = v;
        break;
      }
      case 'dev':
      case 'oif': {
        const v = rd.value(w);
        if (v === undefined) return undefined;
        r.dev = v;
        break;
      }
      case 'table': {
        const t = rd.table(w);
        if (t === undefined) return undefined;
        r.table = t;
        break;
      }
      case 'scope': {
        const v = rd.value(w);
        const s = v === undefined ? undefined : (SCOPE_NAMES[v] ?? readNumber(v, 255));
        if (s === undefined) return void rd.error(`unknown scope '${v}'`);
        r.scope = s;
        break;
      }
      case 'onlink':
        r.onlink = true;
        break;
      case 'add':
      case 'prepend':
      case 'append':
        break;
      case 'or': {
        rd.warn('"or" for routes is deprecated. Please use "nexthop"');
        const v = rd.value(w);
        const p = v === undefined ? undefined : readPrefix(v, rd.family);
        if (!p || 'error' in p || r.via === undefined)
          return void rd.error(`"or" needs a "via" before it and an address`);
        r.nexthops = [{ via: r.via }, { via: v! }];
        delete r.via;
        break;
      }
      case 'nexthop': {
        rd.i--;
        const hops = parseNexthops(rd);
        if (!hops) return undefined;
        r.nexthops = hops;
        break;
      }
      case 'encap':
        rd.warn(`encapsulated routes ('${w}') are not implemented by vrrpd; route ignored`);
        return undefined;
      default: {
        if (ROUTE_VALUE_OPTIONS_IGNORED.has(w)) {
          let v = rd.value(w);
          if (v === 'lock') v = rd.next();
          rd.warn(`route option '${w}' is not implemented by vrrpd; ignored`);
          break;
        }
        let word: string | undefined = w;
        if (word === 'to') word = rd.value('to');
        if (word !== undefined && ROUTE_TYPES.has(word)) {
          type = word as RouteType;
          word = rd.value(word);
        }
        if (word === undefined) return undefined;
        const p = readPrefix(word, rd.family);
        if ('error' in p) return void rd.error(`unknown route keyword '${word}'`);
        rd.family = p.family;
        dst = p.cidr;
      }
    }
  }
  if (dst === undefined) return void rd.error('route must have a destination');
  resetProtocolIfTracked(r, rd, 'Route');
  return { ...r, family: rd.family ?? 'ipv4', dst, type };
}

/** `nexthop via A [dev D] [weight W] [onlink]` repeated to the end of the line (keepalived parse_nexthops). */
function parseNexthops(rd: LineReader): NextHop[] | undefined {
  const hops: NextHop[] = [];
  while (!rd.done) {
    const w = rd.next()!;
    if (w === 'nexthop') {
      hops.push({});
      continue;
    }
    const hop = hops.at(-1);
    if (!hop) return void rd.error(`unexpected '${w}' in nexthop list`);
    if (w === 'via') {
      let v = rd.value(w);
      if (v === 'inet' || v === 'inet6') v = rd.value(w);
      if (v === undefined || 'error' in readPrefix(v, undefined))
        return void rd.error(`invalid nexthop address '${v}'`);
      hop.via = v;
    } else if (w === 'dev') {
      const v = rd.value(w);
      if (v === undefined) return undefined;
      hop.dev = v;
    } else if (w === 'weight') {
      const v = rd.num(w, 'a number 1..256', 256);
      if (v === undefined) return undefined;
      if (v < 1) return void rd.error('weight needs a number 1..256');
      hop.weight = v;
    } else if (w === 'onlink') hop.onlink = true;
    else return void rd.error(`unknown nexthop keyword '${w}'`);
  }
  return hops;
}

export function buildRules(stmt: Statement, diags: Diagnostics): IpRule[] {
  return buildLines(stmt, diags, parseRule);
}

const RULE_ACTIONS: Record<string, RuleAction> = {
  blackhole: 'blackhole',
  unreachable: 'unreachable',
  prohibit: 'prohibit',
  nop: 'nop',
};

function parseRule(rd: LineReader): IpRule | undefined {
  const r: Omit<IpRule, 'family'> = { not: false, noTrack: false, pos: rd.line.pos };
  const prefix = (opt: string): string | undefined => {
    const v = rd.value(opt);
    if (v === undefined) return undefined;
    const p = readPrefix(v, rd.family);
    if ('error' in p) return void rd.error(`${opt}: ${p.error}`);
    if (v !== 'all') rd.family = p.family;
    return p.cidr;
  };
  while (!rd.done) {
    const w = rd.next()!;
    const shared = sharedOption(w, rd, r, RULE_NUMBERS);
    if (shared === 'error') return undefined;
    if (shared === 'done') continue;
    switch (w) {
      case 'from':
      case 'to': {
        const v = prefix(w);
        if (v === undefined) return undefined;
        if (!v.endsWith('/0')) r[w] = v;
        break;
      }
      case 'not':
        r.not = true;
        break;
      case 'table':
      case 'lookup': {
        const t = rd.table(w);
        if (t === undefined) return undefined;
        r.table = t;
        r.action = 'table';
        break;
      }
      case 'goto': {
        const v = rd.num(w, 'a rule priority');
        if (v === undefined) return undefined;
        r.gotoTarget = v;
        r.action = 'goto';
        break;
      }
      case 'fwmark': {
        const v = rd.value(w) ?? '';
        const [mark, mask] = v.split('/');
        const m = readNumber(mark);
        const k = mask === undefined ? undefined : readNumber(mask);
        if (m === undefined || (mask !== undefined && k === undefined)) return void rd.error(`bad fwmark '${v}'`);
        r.fwmark = m;
        if (k !== undefined) r.fwmask = k;
        break;
      }
      case 'iif':
      case 'dev':
      case 'oif': {
        const v = rd.value(w);
        if (v === undefined) return undefined;
        if (w === 'oif') r.oif = v;
        else r.iif = v;
        break;
      }
      case 'l3mdev':
        rd.warn(`rule option 'l3mdev' is not implemented by vrrpd; ignored`);
        break;
      default:
        if (RULE_ACTIONS[w]) {
          r.action = RULE_ACTIONS[w];
          break;
        }
        if (RULE_VALUE_OPTIONS_IGNORED.has(w)) {
          rd.value(w);
          rd.warn(`rule option '${w}' is not implemented by vrrpd; ignored`);
          break;
        }
        return void rd.error(`unknown rule keyword '${w}'`);
    }
  }
  if (r.action === undefined)
    return void rd.error('rule needs an action (table, goto, blackhole, unreachable, prohibit or nop)');
  return { ...r, family: rd.family ?? 'ipv4' };
}

/** keepalived's first automatic rule priority (vrrp_iprule.c RULE_START_PRIORITY); it counts down per family. */
const RULE_START_PRIORITY = 16384;

/**
 * keepalived gives a rule without `preference` the next priority counting down from 16384 per family, in
 * file order, with a warning. `rules` must be in file order.
 */
export function assignRulePriorities(rules: readonly IpRule[], diags: Diagnostics): void {
  const next = { ipv4: RULE_START_PRIORITY, ipv6: RULE_START_PRIORITY };
  for (const r of rules) {
    if (r.priority !== undefined) continue;
    r.priority = next[r.family]--;
    diags.warning(
      r.pos,
      `rule has no preference specified - setting to ${r.priority}. This is probably not what you want.`,
      'preference',
    );
  }
}
