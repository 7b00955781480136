import { buildRoutes, buildRules } from './build-routes.js';
import { buildTrackInterfaces, buildTrackRefs } from './build-trackers.js';
import { buildUseVmac } from './build-vmac.js';
import type { Diagnostics } from './diagnostics.js';
import { addressFamily, parsePrefix } from './ip.js';
import { checkKeyword, unknownKeywordMessage } from './keywords.js';
import type {
  GarpExtraIf,
  IpRoute,
  IpRule,
  NotifyScripts,
  TrackedInterface,
  TrackRef,
  UnicastPeer,
  VirtualIpAddress,
  VmacConfig,
} from './model.js';
import type { SourcePos } from './position.js';
import type { Statement } from './tree.js';
import {
  expectBlock,
  expectNoBlock,
  noArgs,
  readDecimal,
  readGarpExtraIf,
  readInt,
  readOptionalBool,
  readScript,
  requireArg,
} from './values.js';

/**
 * What a `vrrp_instance` block says, before keepalived's defaults and derivations are applied
 * (those need global_defs, which may come later in the file; see resolve-instance.ts).
 * `*Pos` fields remember where a keyword was written, for later diagnostics.
 */
export interface InstanceDraft {
  name: string;
  pos: SourcePos;
  /** Keywords that appeared, valid or not (so a bad value is not also reported as missing). */
  seen: Set<string>;
  state?: 'MASTER' | 'BACKUP';
  statePos?: SourcePos;
  interface?: string;
  virtualRouterId?: number;
  priority?: number;
  priorityPos?: SourcePos;
  version?: 2 | 3;
  versionPos?: SourcePos;
  /** advert_int in microseconds, as keepalived stores it, so rounding matches. */
  advertIntUs?: number;
  advertIntPos?: SourcePos;
  nopreemptPos?: SourcePos;
  preemptDelay?: number;
  preemptDelayPos?: SourcePos;
  accept?: boolean;
  acceptPos?: SourcePos;
  strictMode?: boolean;
  dontTrackPrimary: boolean;
  promoteSecondaries: boolean;
  trackInterfaces: TrackedInterface[];
  trackScripts: TrackRef[];
  trackFiles: TrackRef[];
  trackProcesses: TrackRef[];
  vips: VirtualIpAddress[];
  vipsPos?: SourcePos;
  evips: VirtualIpAddress[];
  unicastSrcIp?: string;
  unicastPeers: UnicastPeer[];
  unicastPeerPos?: SourcePos;
  unicastTtl?: number;
  mcastSrcIp?: string;
  mcastDstIp?: string;
  auth?: { type?: 'PASS' | 'AH'; typeSeen?: boolean; typePos?: SourcePos; password?: string; pos: SourcePos };
  notify: NotifyScripts;
  garpMasterDelay?: number;
  garpMasterRepeat?: number;
  garpMasterRefresh?: number;
  garpExtraIf?: GarpExtraIf;
  garpMasterRefreshRepeat?: number;
  garpLowerPrioDelay?: number;
  garpLowerPrioRepeat?: number;
  lowerPrioNoAdvert?: boolean;
  higherPrioSendAdvert?: boolean;
  skipCheckAdvAddr?: boolean;
  checkUnicastSrc?: boolean;
  unicastFaultNoPeer?: boolean;
  downTimerAdverts?: number;
  notifyPriorityChanges?: boolean;
  debug?: number;
  vmac?: VmacConfig;
  vmacXmitBase?: boolean;
  useVmacAddr?: boolean;
  virtualRoutes?: IpRoute[];
  virtualRules?: IpRule[];
}

export function buildInstance(stmt: Statement, diags: Diagnostics): InstanceDraft | undefined {
  const nameArg = requireArg(stmt, 0, diags, 'a name');
  if (!nameArg) return undefined;
  const d: InstanceDraft = {
    name: nameArg.value,
    pos: stmt.pos,
    seen: new Set(),
    dontTrackPrimary: false,
    promoteSecondaries: false,
    trackInterfaces: [],
    trackScripts: [],
    trackFiles: [],
    trackProcesses: [],
    vips: [],
    evips: [],
    unicastPeers: [],
    notify: {},
  };
  const where = `vrrp_instance ${d.name}`;
  for (const s of expectBlock(stmt, diags)) {
    const blockKeywords = [
      'track_interface',
      'track_script',
      'track_file',
      'track_process',
      'virtual_ipaddress',
      'virtual_ipaddress_excluded',
      'unicast_peer',
      'authentication',
      'virtual_routes',
      'virtual_rules',
    ];
    const known = checkKeyword('vrrp_instance', s.keyword, s.pos, diags) !== undefined;
    d.seen.add(s.keyword);
    let handled = true;
    switch (s.keyword) {
      case 'state': {
        const a = requireArg(s, 0, diags, 'MASTER or BACKUP');
        if (!a) break;
        if (a.value === 'MASTER' || a.value === 'BACKUP') {
          // keepalived: "state previously set as MASTER - ignoring BACKUP".
          if (!(d.state === 'MASTER' && a.value === 'BACKUP')) d.state = a.value;
          d.statePos = s.pos;
        } else diags.error(s.pos, `(${d.name}) unknown state '${a.value}'; use MASTER or BACKUP`, 'state');
        break;
      }
      case 'interface': {
        const a = requireArg(s, 0, diags, 'an interface name');
        if (a) d.interface = a.value;
        break;
      }
      case 'virtual_router_id': {
        const v = readVrid(s, d.name, diags);
        if (v !== undefined) d.virtualRouterId = v;
        break;
      }
      case 'priority': {
        const v = readRanged(s, 1, 255, diags, `(${d.name}) priority`);
        if (v !== undefined) {
          d.priority = v;
          d.priorityPos = s.pos;
        }
        break;
      }
      case 'version': {
        const v = readRanged(s, 2, 3, diags, `(${d.name}) version`);
        if (v !== undefined) {
          d.version = v as 2 | 3;
          d.versionPos = s.pos;
        }
        break;
      }
      case 'advert_int': {
        // keepalived reads this as a decimal in [0.01, 255] seconds, then rounds per version later.
        const v = readDecimal(s, 0, 0.01, 255, diags);
        if (v !== undefined) {
          d.advertIntUs = Math.round(v * 1_000_000);
          d.advertIntPos = s.pos;
        }
        break;
      }
      case 'nopreempt':
        noArgs(s, diags);
        d.nopreemptPos = s.pos;
        break;
      case 'preempt':
        // keepalived keeps `preempt` for backwards compatibility; preemption is the default.
        noArgs(s, diags);
        d.nopreemptPos = undefined;
        break;
      case 'preempt_delay': {
        const v = readDecimal(s, 0, 0, 1000, diags);
        if (v !== undefined) {
          d.preemptDelay = v;
          d.preemptDelayPos = s.pos;
        }
        break;
      }
      case 'accept':
      case 'no_accept':
        noArgs(s, diags);
        d.accept = s.keyword === 'accept';
        d.acceptPos = s.pos;
        break;
      case 'strict_mode': {
        const v = readOptionalBool(s, 0, diags);
        if (v !== undefined) d.strictMode = v;
        break;
      }
      case 'use_vmac':
        d.vmac = buildUseVmac(s, d.vmac, diags);
        break;
      case 'vmac_xmit_base':
        noArgs(s, diags);
        d.vmacXmitBase = true;
        break;
      case 'use_vmac_addr':
        noArgs(s, diags);
        d.useVmacAddr = true;
        break;
      case 'virtual_routes':
        d.virtualRoutes = [...(d.virtualRoutes ?? []), ...buildRoutes(s, diags)];
        break;
      case 'virtual_rules':
        d.virtualRules = [...(d.virtualRules ?? []), ...buildRules(s, diags)];
        break;
      case 'dont_track_primary':
        noArgs(s, diags);
        d.dontTrackPrimary = true;
        break;
      case 'promote_secondaries':
        noArgs(s, diags);
        d.promoteSecondaries = true;
        break;
      case 'track_interface':
        d.trackInterfaces.push(...buildTrackInterfaces(s, diags));
        break;
      case 'track_script':
        d.trackScripts.push(...buildTrackRefs(s, diags, -253, 253));
        break;
      case 'track_file':
        d.trackFiles.push(...buildTrackRefs(s, diags, -254, 254));
        break;
      case 'track_process':
        d.trackProcesses.push(...buildTrackRefs(s, diags, -254, 254));
        break;
      case 'virtual_ipaddress':
        d.vipsPos ??= s.pos;
        d.vips.push(...buildVips(s, diags));
        break;
      case 'virtual_ipaddress_excluded':
        d.evips.push(...buildVips(s, diags));
        break;
      case 'unicast_src_ip':
      case 'mcast_src_ip':
      case 'mcast_dst_ip': {
        const a = requireArg(s, 0, diags, 'an IP address');
        if (!a) break;
        if (addressFamily(a.value) === undefined) {
          diags.error(s.pos, `(${d.name}) ${s.keyword}: invalid IP address '${a.value}'`, s.keyword);
        } else if (s.keyword === 'unicast_src_ip') d.unicastSrcIp = a.value;
        else if (s.keyword === 'mcast_src_ip') d.mcastSrcIp = a.value;
        else d.mcastDstIp = a.value;
        break;
      }
      case 'unicast_peer':
        d.unicastPeerPos ??= s.pos;
        d.unicastPeers.push(...buildPeers(s, d.name, diags));
        break;
      case 'unicast_ttl':
        d.unicastTtl = readInt(s, 0, 0, 255, diags) ?? d.unicastTtl;
        break;
      case 'unicast_fault_no_peer':
        d.unicastFaultNoPeer = true;
        break;
      case 'check_unicast_src':
        d.checkUnicastSrc = readOptionalBool(s, 0, diags) ?? d.checkUnicastSrc;
        break;
      case 'authentication':
        d.auth = buildAuth(s, d.name, diags);
        break;
      case 'notify_master':
      case 'notify_backup':
      case 'notify_fault':
      case 'notify_stop':
      case 'notify_deleted':
      case 'notify':
      case 'notify_master_rx_lower_pri':
        readNotify(s, d.notify, diags);
        break;
      case 'notify_priority_changes':
        d.notifyPriorityChanges = readOptionalBool(s, 0, diags) ?? d.notifyPriorityChanges;
        break;
      case 'garp_master_delay':
        d.garpMasterDelay = readInt(s, 0, 0, 86400, diags) ?? d.garpMasterDelay;
        break;
      case 'garp_master_repeat':
        d.garpMasterRepeat = readInt(s, 0, 0, 65535, diags) ?? d.garpMasterRepeat;
        break;
      case 'garp_extra_if':
      case 'vmac_garp_intvl':
        d.garpExtraIf = readGarpExtraIf(s, diags) ?? d.garpExtraIf;
        break;
      case 'garp_master_refresh':
        d.garpMasterRefresh = readInt(s, 0, 0, 86400, diags) ?? d.garpMasterRefresh;
        break;
      case 'garp_master_refresh_repeat':
        d.garpMasterRefreshRepeat = readInt(s, 0, 0, 65535, diags) ?? d.garpMasterRefreshRepeat;
        break;
      case 'garp_lower_prio_delay':
        d.garpLowerPrioDelay = readInt(s, 0, 0, 86400, diags) ?? d.garpLowerPrioDelay;
        break;
      case 'garp_lower_prio_repeat':
        d.garpLowerPrioRepeat = readInt(s, 0, 0, 65535, diags) ?? d.garpLowerPrioRepeat;
        break;
      case 'lower_prio_no_advert':
        d.lowerPrioNoAdvert = readOptionalBool(s, 0, diags) ?? d.lowerPrioNoAdvert;
        break;
      case 'higher_prio_send_advert':
        d.higherPrioSendAdvert = readOptionalBool(s, 0, diags) ?? d.higherPrioSendAdvert;
        break;
      case 'skip_check_adv_addr':
        d.skipCheckAdvAddr = readOptionalBool(s, 0, diags) ?? d.skipCheckAdvAddr;
        break;
      case 'down_timer_adverts':
        d.downTimerAdverts = readInt(s, 0, 1, 100, diags) ?? d.downTimerAdverts;
        break;
      case 'debug':
        d.debug = readInt(s, 0, 0, 4, diags) ?? d.debug;
        break;
      default:
        handled = false;
        if (!known) diags.error(s.pos, unknownKeywordMessage(s.keyword, where), s.keyword);
    }
    // Keywords vrrpd does not read (virtual_routes { }, ...) may carry a block; the rest must not.
    if (handled && !blockKeywords.includes(s.keyword)) expectNoBlock(s, diags);
  }
  return d;
}

function readVrid(s: Statement, name: string, diags: Diagnostics): number | undefined {
  const a = requireArg(s, 0, diags, 'a number 1..255');
  if (!a) return undefined;
  const n = /^\d+$/.test(a.value) ? Number(a.value) : Number.NaN;
  if (!(n >= 1 && n <= 255)) {
    diags.error(s.pos, `(${name}) virtual_router_id '${a.value}' not valid - must be between 1 & 255`, s.keyword);
    return undefined;
  }
  return n;
}

function readRanged(s: Statement, min: number, max: number, diags: Diagnostics, what: string): number | undefined {
  const a = requireArg(s, 0, diags, `a number ${min}..${max}`);
  if (!a) return undefined;
  const n = /^\d+$/.test(a.value) ? Number(a.value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    diags.error(s.pos, `${what} '${a.value}' not valid - must be between ${min} & ${max}`, s.keyword);
    return undefined;
  }
  return n;
}

/** Options of a VIP line that take a value; the other options the registry knows are flags. */
const VIP_VALUE_OPTIONS = new Set([
  'dev',
  'brd',
  'broadcast',
  'scope',
  'label',
  'peer',
  'preferred_lft',
  'track_group',
]);
/** The lines of `virtual_ipaddress`, `virtual_ipaddress_excluded` and `static_ipaddress` (one syntax). */
export function buildVips(stmt: Statement, diags: Diagnostics): VirtualIpAddress[] {
  const out: VirtualIpAddress[] = [];
  for (const line of expectBlock(stmt, diags)) {
    expectNoBlock(line, diags);
    const parsed = parsePrefix(line.keyword);
    if (!parsed.ok) {
      diags.error(line.pos, `${stmt.keyword}: ${parsed.message}`, stmt.keyword);
      continue;
    }
    const vip: VirtualIpAddress = {
      address: parsed.value.address,
      family: parsed.value.family,
      prefixLength: parsed.value.prefixLength,
      noTrack: false,
      extraOptions: [],
      pos: line.pos,
    };
    const args = line.args;
    for (let i = 0; i < args.length; i++) {
      const opt = args[i]!.value;
      const known = checkKeyword('virtual_ipaddress', opt, args[i]!.pos, diags) !== undefined;
      if (known && VIP_VALUE_OPTIONS.has(opt)) {
        const v = args[i + 1];
        if (v === undefined) {
          diags.error(line.pos, `${stmt.keyword} ${line.keyword}: '${opt}' needs a value`, stmt.keyword);
          break;
        }
        i++;
        if (opt === 'dev') vip.dev = v.value;
        else if (opt === 'brd' || opt === 'broadcast') vip.brd = v.value;
        else if (opt === 'scope') vip.scope = v.value;
        else if (opt === 'label') vip.label = v.value;
        else if (opt === 'peer') vip.peer = v.value;
        else vip.extraOptions.push(opt, v.value);
      } else if (known) {
        if (opt === 'no_track') vip.noTrack = true;
        else vip.extraOptions.push(opt);
      } else {
        diags.error(args[i]!.pos, `${stmt.keyword} ${line.keyword}: unknown option '${opt}'`, stmt.keyword);
      }
    }
    out.push(vip);
  }
  return out;
}

/**
 * `unicast_peer { IP [min_ttl N] [max_ttl N] }`: keepalived reads ONE address per line and treats
 * further words as options, so `10.0.0.1 10.0.0.2` on one line is an error, not two peers.
 */
function buildPeers(stmt: Statement, name: string, diags: Diagnostics): UnicastPeer[] {
  const out: UnicastPeer[] = [];
  for (const line of expectBlock(stmt, diags)) {
    expectNoBlock(line, diags);
    const family = addressFamily(line.keyword);
    if (family === undefined) {
      diags.error(line.pos, `(${name}) unicast_peer: invalid IP address '${line.keyword}'`, 'unicast_peer');
      continue;
    }
    const peer: UnicastPeer = { address: line.keyword, family, pos: line.pos };
    const args = line.args;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (checkKeyword('unicast_peer', a.value, a.pos, diags) !== undefined) {
        const v = args[i + 1];
        const n = v && /^\d+$/.test(v.value) ? Number(v.value) : Number.NaN;
        if (!(n >= 0 && n <= 255)) {
          diags.error(
            line.pos,
            `(${name}) unicast_peer ${line.keyword}: ${a.value} needs a value 0..255`,
            'unicast_peer',
          );
          break;
        }
        if (a.value === 'min_ttl') peer.minTtl = n;
        else peer.maxTtl = n;
        i++;
      } else if (addressFamily(a.value) !== undefined) {
        diags.error(
          a.pos,
          `(${name}) unicast_peer: one address per line ('${a.value}' follows '${line.keyword}' on the same line)`,
          'unicast_peer',
        );
      } else {
        diags.error(a.pos, `(${name}) unicast_peer ${line.keyword}: unknown option '${a.value}'`, 'unicast_peer');
      }
    }
    out.push(peer);
  }
  return out;
}

function buildAuth(stmt: Statement, name: string, diags: Diagnostics): InstanceDraft['auth'] {
  const auth: NonNullable<InstanceDraft['auth']> = { pos: stmt.pos };
  for (const s of expectBlock(stmt, diags)) {
    expectNoBlock(s, diags);
    const known = checkKeyword('authentication', s.keyword, s.pos, diags) !== undefined;
    if (s.keyword === 'auth_type') {
      auth.typeSeen = true;
      const a = requireArg(s, 0, diags, 'PASS or AH');
      if (!a) continue;
      if (a.value === 'PASS' || a.value === 'AH') {
        auth.type = a.value;
        auth.typePos = s.pos;
      } else diags.error(s.pos, `(${name}) auth_type '${a.value}' not valid; use PASS or AH`, 'auth_type');
    } else if (s.keyword === 'auth_pass') {
      const a = requireArg(s, 0, diags, 'a password');
      if (!a) continue;
      auth.password = a.value;
      // The VRRPv2 auth data field is 8 octets; keepalived truncates with a warning.
      if ([...a.value].length > 8 || Buffer.byteLength(a.value) > 8) {
        diags.warning(s.pos, `(${name}) auth_pass is longer than 8 characters; only the first 8 are used`, 'auth_pass');
        auth.password = Buffer.from(a.value, 'utf8').subarray(0, 8).toString('utf8');
      }
    } else if (!known) {
      diags.error(s.pos, unknownKeywordMessage(s.keyword, `vrrp_instance ${name} authentication`), s.keyword);
    }
  }
  return auth;
}

const NOTIFY_FIELDS: Record<string, Exclude<keyof NotifyScripts, 'notifyDeleted'>> = {
  notify_master: 'master',
  notify_backup: 'backup',
  notify_fault: 'fault',
  notify_stop: 'stop',
  notify_deleted: 'deleted',
  notify: 'any',
  notify_master_rx_lower_pri: 'masterRxLowerPri',
};

export function readNotify(s: Statement, notify: NotifyScripts, diags: Diagnostics): void {
  const field = NOTIFY_FIELDS[s.keyword];
  if (field === undefined) return;
  if (s.keyword === 'notify_deleted') {
    // keepalived: "notify_deleted already specified - ignoring"; without a script it only changes the state
    // name the other notifies get (DELETED instead of FAULT).
    if (notify.notifyDeleted) {
      diags.warning(s.pos, 'notify_deleted already specified - ignoring', s.keyword);
      return;
    }
    notify.notifyDeleted = true;
    if (s.args.length === 0) return;
  }
  const cmd = readScript(s, 0, diags);
  if (cmd) notify[field] = cmd;
}
