import type { Diagnostics } from './diagnostics.js';
import { addressFamily } from './ip.js';
import { checkKeyword, unknownKeywordMessage } from './keywords.js';
import type { FifoSpec, GlobalDefs } from './model.js';
import { readProcessKeyword } from './process-keywords.js';
import type { Statement } from './tree.js';
import { readUmask } from './umask.js';
import {
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
 * keepalived 2.2.7's file creation mask when the configuration sets none (lib/utils.c umask_val: S_IXUSR |
 * S_IRWXG | S_IRWXO — its man page says IWGRP | IWOTH): files it creates are its owner's alone.
 */
export const KEEPALIVED_UMASK = 0o177;

export function defaultGlobalDefs(): GlobalDefs {
  return {
    vrrpVersion: 2,
    vrrpStrict: false,
    enableScriptSecurity: false,
    vrrpNotifyPriorityChanges: false,
    garpMasterDelay: 5,
    garpMasterRepeat: 5,
    garpMasterRefresh: 0,
    garpMasterRefreshRepeat: 1,
    garpLowerPrioDelay: 5,
    garpLowerPrioRepeat: 5,
    garpInterval: 0,
    gnaInterval: 0,
    minGarp: false,
    downTimerAdverts: 3,
    lowerPrioNoAdvert: false,
    higherPrioSendAdvert: false,
    skipCheckAdvAddr: false,
    umask: KEEPALIVED_UMASK,
    logUnknownVrids: false,
    fifoWriteVrrpStatesOnReload: false,
    startupScriptTimeout: 10,
    shutdownScriptTimeout: 10,
    checkUnicastSrc: false,
    startupDelay: 0,
    mcastGroup4: '224.0.0.18',
    mcastGroup6: 'ff02::12',
    process: {},
  };
}

/** Applies one `global_defs { }` block (keepalived allows several; later values win). */
export function applyGlobalDefs(block: Statement[], g: GlobalDefs, diags: Diagnostics): void {
  // The lower-priority GARP settings default to the master ones unless set explicitly, whatever the order.
  let lowerDelaySet = false;
  let lowerRepeatSet = false;
  let masterDelaySet = false;
  let masterRepeatSet = false;
  for (const s of block) {
    const known = checkKeyword('global_defs', s.keyword, s.pos, diags) !== undefined;
    if (s.keyword !== 'notification_email') expectNoBlock(s, diags);
    switch (s.keyword) {
      case 'router_id': {
        const a = requireArg(s, 0, diags);
        if (a) g.routerId = a.value;
        break;
      }
      case 'vrrp_version': {
        const v = readInt(s, 0, 2, 3, diags);
        if (v !== undefined) g.vrrpVersion = v as 2 | 3;
        break;
      }
      case 'vrrp_strict':
        noArgs(s, diags);
        g.vrrpStrict = true;
        break;
      case 'fifo_write_vrrp_states_on_reload':
        noArgs(s, diags);
        g.fifoWriteVrrpStatesOnReload = true;
        break;
      case 'log_unknown_vrids':
        noArgs(s, diags);
        g.logUnknownVrids = true;
        break;
      case 'umask':
        g.umask = readUmask(s, diags) ?? g.umask;
        break;
      case 'startup_script':
      case 'shutdown_script': {
        // keepalived: "startup script already specified" and the second one is ignored.
        const key = s.keyword === 'startup_script' ? 'startupScript' : 'shutdownScript';
        if (g[key]) diags.warning(s.pos, `${s.keyword.replace('_', ' ')} already specified - ignoring`, s.keyword);
        else g[key] = readScript(s, 0, diags);
        break;
      }
      case 'startup_script_timeout':
        g.startupScriptTimeout = readInt(s, 0, 1, 1000, diags) ?? g.startupScriptTimeout;
        break;
      case 'shutdown_script_timeout':
        g.shutdownScriptTimeout = readInt(s, 0, 1, 1000, diags) ?? g.shutdownScriptTimeout;
        break;
      case 'vmac_prefix': {
        const a = requireArg(s, 0, diags, 'an interface name prefix');
        if (a) g.vmacPrefix = a.value;
        break;
      }
      case 'vmac_addr_prefix': {
        const a = requireArg(s, 0, diags, 'an interface name prefix');
        if (a) g.vmacAddrPrefix = a.value;
        break;
      }
      case 'enable_script_security':
        noArgs(s, diags);
        g.enableScriptSecurity = true;
        break;
      case 'script_user': {
        const a = requireArg(s, 0, diags, 'a user name');
        if (a) {
          g.scriptUser = { user: a.value };
          const grp = s.args[1];
          if (grp) g.scriptUser.group = grp.value;
        }
        break;
      }
      case 'notify_fifo':
      case 'vrrp_notify_fifo': {
        const fifo = readFifo(s, diags);
        if (fifo && s.keyword === 'notify_fifo') g.notifyFifo = fifo;
        else if (fifo) g.vrrpNotifyFifo = fifo;
        break;
      }
      case 'notify_fifo_script':
      case 'vrrp_notify_fifo_script': {
        const cmd = readScript(s, 0, diags);
        if (cmd && s.keyword === 'notify_fifo_script') g.notifyFifoScript = cmd;
        else if (cmd) g.vrrpNotifyFifoScript = cmd;
        break;
      }
      case 'vrrp_notify_priority_changes':
        g.vrrpNotifyPriorityChanges = readOptionalBool(s, 0, diags) ?? g.vrrpNotifyPriorityChanges;
        break;
      case 'vrrp_garp_master_delay': {
        const v = readInt(s, 0, 0, 86400, diags);
        if (v !== undefined) {
          g.garpMasterDelay = v;
          masterDelaySet = true;
          if (!lowerDelaySet) g.garpLowerPrioDelay = v;
        }
        break;
      }
      case 'vrrp_garp_master_repeat': {
        const v = readInt(s, 0, 0, 65535, diags);
        if (v !== undefined) {
          g.garpMasterRepeat = v;
          masterRepeatSet = true;
          if (!lowerRepeatSet) g.garpLowerPrioRepeat = v;
        }
        break;
      }
      case 'vrrp_garp_extra_if':
      case 'vrrp_vmac_garp_intvl':
        g.garpExtraIf = readGarpExtraIf(s, diags) ?? g.garpExtraIf;
        break;
      case 'vrrp_garp_master_refresh':
        g.garpMasterRefresh = readInt(s, 0, 0, 86400, diags) ?? g.garpMasterRefresh;
        break;
      case 'vrrp_garp_master_refresh_repeat':
        g.garpMasterRefreshRepeat = readInt(s, 0, 0, 65535, diags) ?? g.garpMasterRefreshRepeat;
        break;
      case 'vrrp_garp_lower_prio_delay': {
        const v = readInt(s, 0, 0, 86400, diags);
        if (v !== undefined) {
          g.garpLowerPrioDelay = v;
          lowerDelaySet = true;
        }
        break;
      }
      case 'vrrp_garp_lower_prio_repeat': {
        const v = readInt(s, 0, 0, 65535, diags);
        if (v !== undefined) {
          g.garpLowerPrioRepeat = v;
          lowerRepeatSet = true;
        }
        break;
      }
      case 'vrrp_garp_interval':
        g.garpInterval = readDecimal(s, 0, 0, 1, diags) ?? g.garpInterval;
        break;
      case 'vrrp_gna_interval':
        g.gnaInterval = readDecimal(s, 0, 0, 1, diags) ?? g.gnaInterval;
        break;
      case 'vrrp_min_garp': {
        const on = readOptionalBool(s, 0, diags);
        if (on !== undefined) g.minGarp = on;
        // keepalived: one GARP and no second burst, unless the repeat/delay are set explicitly.
        if (on) {
          if (!masterRepeatSet) g.garpMasterRepeat = 1;
          if (!masterDelaySet) g.garpMasterDelay = 0;
          if (!lowerRepeatSet) g.garpLowerPrioRepeat = 1;
          if (!lowerDelaySet) g.garpLowerPrioDelay = 0;
        }
        break;
      }
      case 'vrrp_down_timer_adverts':
        g.downTimerAdverts = readInt(s, 0, 1, 100, diags) ?? g.downTimerAdverts;
        break;
      case 'vrrp_lower_prio_no_advert':
        g.lowerPrioNoAdvert = readOptionalBool(s, 0, diags) ?? g.lowerPrioNoAdvert;
        break;
      case 'vrrp_higher_prio_send_advert':
        g.higherPrioSendAdvert = readOptionalBool(s, 0, diags) ?? g.higherPrioSendAdvert;
        break;
      case 'vrrp_skip_check_adv_addr':
        g.skipCheckAdvAddr = readOptionalBool(s, 0, diags) ?? g.skipCheckAdvAddr;
        break;
      case 'vrrp_check_unicast_src':
        noArgs(s, diags);
        g.checkUnicastSrc = true;
        break;
      case 'vrrp_startup_delay':
        g.startupDelay = readDecimal(s, 0, 0, 3600, diags) ?? g.startupDelay;
        break;
      case 'vrrp_mcast_group4':
      case 'vrrp_mcast_group6': {
        const a = requireArg(s, 0, diags, 'a multicast address');
        if (!a) break;
        const fam = addressFamily(a.value);
        const want = s.keyword === 'vrrp_mcast_group4' ? 'ipv4' : 'ipv6';
        if (fam !== want) {
          diags.error(
            s.pos,
            `${s.keyword}: '${a.value}' is not an ${want === 'ipv4' ? 'IPv4' : 'IPv6'} address`,
            s.keyword,
          );
        } else if (want === 'ipv4') g.mcastGroup4 = a.value;
        else g.mcastGroup6 = a.value;
        break;
      }
      default:
        if (readProcessKeyword(s, g.process, diags)) break;
        if (!known) diags.error(s.pos, unknownKeywordMessage(s.keyword, 'global_defs'), s.keyword);
    }
  }
}

function readFifo(s: Statement, diags: Diagnostics): FifoSpec | undefined {
  const a = requireArg(s, 0, diags, 'a FIFO path');
  if (!a) return undefined;
  const fifo: FifoSpec = { path: a.value };
  const user = s.args[1];
  const group = s.args[2];
  if (user) fifo.user = user.value;
  if (group) fifo.group = group.value;
  return fifo;
}
