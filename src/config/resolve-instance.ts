import type { InstanceDraft } from './build-instance.js';
import type { Diagnostics } from './diagnostics.js';
import type { GlobalDefs, VrrpInstance } from './model.js';

/**
 * Applies keepalived's defaults and per-instance checks (vrrp.c vrrp_complete_instance() in 2.2.7) to a
 * draft. Returns undefined when the instance cannot run (missing interface or VRID).
 *
 * Severity follows keepalived's own wording: what it calls "incompatible"/"not valid" and then silently
 * changes is an error here (the user's intent is lost); what it prefixes with "Warning" and clears is a
 * warning.
 */
export function resolveInstance(d: InstanceDraft, g: GlobalDefs, diags: Diagnostics): VrrpInstance | undefined {
  const n = `(${d.name})`;
  let ok = true;
  if (d.interface === undefined && !d.seen.has('interface')) {
    // The man page allows omitting it with unicast peers, but keepalived 2.2.7 checks for an interface
    // (chk_min_cfg) before it marks the instance unicast, so it refuses every such instance with
    // "Unknown interface!" and exit 5, unicast_peer or not. vrrpd refuses it the same way.
    const unicast = d.unicastPeers.length > 0 ? ' (keepalived 2.2.7 refuses this too, even with unicast_peer)' : '';
    diags.error(d.pos, `${n} unknown interface: no 'interface' configured${unicast}`, 'interface');
    ok = false;
  }
  if (d.virtualRouterId === undefined && !d.seen.has('virtual_router_id')) {
    diags.error(d.pos, `${n} the virtual router id must be set ('virtual_router_id')`, 'virtual_router_id');
    ok = false;
  }

  // One address family per instance: the first VIP decides (keepalived ignores the mismatching ones).
  const family = d.vips[0]?.family ?? 'ipv4';
  for (const vip of d.vips) {
    if (vip.family !== family) {
      diags.error(
        vip.pos,
        `${n} virtual_ipaddress ${vip.address}: address family must match the instance's first VIP (${d.vips[0]?.address}); use virtual_ipaddress_excluded to mix families`,
        'virtual_ipaddress',
      );
      ok = false;
    }
  }
  for (const peer of d.unicastPeers) {
    if (peer.family !== family) {
      diags.error(
        peer.pos,
        `${n} unicast_peer ${peer.address}: address family must match the instance's VIPs (${family === 'ipv4' ? 'IPv4' : 'IPv6'})`,
        'unicast_peer',
      );
      ok = false;
    }
  }

  // IPv6 instances always use VRRPv3 (keepalived forces it silently; say so when v2 was asked for).
  let version: 2 | 3 = d.version ?? g.vrrpVersion;
  if (family === 'ipv6' && version === 2) {
    if (d.versionPos) diags.warning(d.versionPos, `${n} IPv6 requires VRRPv3; using version 3`, 'version');
    version = 3;
  }

  const strictMode = d.strictMode ?? g.vrrpStrict;

  if (d.vips.length === 0) {
    if (version === 3 || strictMode) {
      diags.error(d.pos, `${n} no VIP specified; at least one is required`, 'virtual_ipaddress');
      ok = false;
    } else diags.warning(d.pos, `${n} no VIP specified; at least one is sensible`, 'virtual_ipaddress');
  }

  // Priority unset: 255 (address owner) with state MASTER, else 100. State unset: derived from priority.
  const priority = d.priority ?? (d.state === 'MASTER' ? 255 : 100);
  const state = d.state ?? (priority === 255 ? 'MASTER' : 'BACKUP');
  if (strictMode && d.state !== undefined && (state === 'MASTER') !== (priority === 255)) {
    diags.error(
      d.statePos ?? d.pos,
      `${n} strict mode: state MASTER must match being address owner (priority 255)`,
      'state',
    );
    ok = false;
  }

  let preempt = d.nopreemptPos === undefined;
  if (!preempt && priority === 255) {
    diags.error(
      d.nopreemptPos ?? d.pos,
      `${n} nopreempt is incompatible with priority 255 (address owner)`,
      'nopreempt',
    );
    ok = false;
  } else if (!preempt && state === 'MASTER') {
    diags.warning(
      d.nopreemptPos ?? d.pos,
      `${n} nopreempt will not work with initial state MASTER; ignoring nopreempt`,
      'nopreempt',
    );
    preempt = true;
  }

  let preemptDelay = d.preemptDelay ?? 0;
  if (d.preemptDelayPos && preemptDelay > 0) {
    if (d.nopreemptPos !== undefined && !preempt) {
      diags.error(d.preemptDelayPos, `${n} preempt_delay is incompatible with nopreempt`, 'preempt_delay');
      ok = false;
    } else if (strictMode) {
      diags.error(d.preemptDelayPos, `${n} strict mode does not allow preempt_delay`, 'preempt_delay');
      ok = false;
    } else if (state === 'MASTER') {
      diags.warning(
        d.preemptDelayPos,
        `${n} preempt_delay will not work with initial state MASTER; ignoring it`,
        'preempt_delay',
      );
      preemptDelay = 0;
    }
  }

  const advertIntervalCs = resolveAdvertInterval(d, version, n, diags);
  if (advertIntervalCs === undefined) ok = false;

  let authentication: VrrpInstance['authentication'];
  if (d.auth) {
    if (version === 3) {
      diags.warning(d.auth.pos, `${n} VRRP version 3 does not support authentication; ignoring it`, 'authentication');
    } else if (strictMode) {
      diags.error(d.auth.pos, `${n} strict mode does not allow authentication`, 'authentication');
      ok = false;
    } else if (d.auth.type === undefined && !d.auth.typeSeen) {
      diags.error(d.auth.pos, `${n} authentication needs auth_type PASS or AH`, 'authentication');
      ok = false;
    } else if (d.auth.type === 'AH') {
      // Sending no authentication instead would leave vrrpd and an AH peer (IP protocol 51) deaf to each other.
      diags.error(
        d.auth.typePos ?? d.auth.pos,
        `${n} auth_type AH (IPsec AH) is not implemented by vrrpd; use auth_type PASS or no authentication`,
        'auth_type',
      );
      ok = false;
    } else if (d.auth.type !== undefined) {
      authentication = { type: d.auth.type, password: d.auth.password ?? '' };
    }
  }

  if (strictMode && d.unicastPeers.length > 0) {
    diags.error(d.unicastPeers[0]!.pos, `${n} strict mode does not allow unicast peers`, 'unicast_peer');
    ok = false;
  }

  if (!ok || d.interface === undefined || d.virtualRouterId === undefined || advertIntervalCs === undefined) {
    return undefined;
  }

  const garpMasterDelay = d.garpMasterDelay ?? g.garpMasterDelay;
  const garpMasterRepeat = d.garpMasterRepeat ?? g.garpMasterRepeat;
  const inst: VrrpInstance = {
    name: d.name,
    pos: d.pos,
    state,
    stateConfigured: d.state !== undefined,
    interface: d.interface,
    virtualRouterId: d.virtualRouterId,
    priority,
    priorityConfigured: d.priority !== undefined,
    version,
    family,
    advertIntervalCs,
    preempt,
    preemptDelay,
    // keepalived: accept unless strict, where only the address owner accepts.
    accept: d.accept ?? (priority === 255 ? true : !strictMode),
    strictMode,
    dontTrackPrimary: d.dontTrackPrimary,
    promoteSecondaries: d.promoteSecondaries,
    trackInterfaces: d.trackInterfaces,
    trackScripts: d.trackScripts,
    trackFiles: d.trackFiles,
    trackProcesses: d.trackProcesses,
    virtualIpAddresses: d.vips,
    excludedIpAddresses: d.evips,
    unicastPeers: d.unicastPeers,
    unicastTtl: d.unicastTtl ?? 255,
    unicastFaultNoPeer: d.unicastFaultNoPeer ?? false,
    notify: d.notify,
    garpMasterDelay,
    garpMasterRepeat,
    garpMasterRefresh: d.garpMasterRefresh ?? g.garpMasterRefresh,
    ...((d.garpExtraIf ?? g.garpExtraIf) ? { garpExtraIf: d.garpExtraIf ?? g.garpExtraIf } : {}),
    garpMasterRefreshRepeat: d.garpMasterRefreshRepeat ?? g.garpMasterRefreshRepeat,
    garpLowerPrioDelay: d.garpLowerPrioDelay ?? (strictMode ? 0 : g.garpLowerPrioDelay),
    garpLowerPrioRepeat: d.garpLowerPrioRepeat ?? (strictMode ? 0 : g.garpLowerPrioRepeat),
    lowerPrioNoAdvert: d.lowerPrioNoAdvert ?? (strictMode ? true : g.lowerPrioNoAdvert),
    higherPrioSendAdvert: d.higherPrioSendAdvert ?? (strictMode ? false : g.higherPrioSendAdvert),
    skipCheckAdvAddr: d.skipCheckAdvAddr ?? g.skipCheckAdvAddr,
    // min_ttl/max_ttl on a peer turn the source check on (man page).
    checkUnicastSrc:
      d.checkUnicastSrc ??
      (g.checkUnicastSrc || d.unicastPeers.some((p) => p.minTtl !== undefined || p.maxTtl !== undefined)),
    downTimerAdverts: d.downTimerAdverts ?? g.downTimerAdverts,
    notifyPriorityChanges: d.notifyPriorityChanges ?? g.vrrpNotifyPriorityChanges,
    debug: d.debug ?? 0,
  };
  if (d.unicastSrcIp !== undefined) inst.unicastSrcIp = d.unicastSrcIp;
  if (d.mcastSrcIp !== undefined) inst.mcastSrcIp = d.mcastSrcIp;
  if (d.mcastDstIp !== undefined) inst.mcastDstIp = d.mcastDstIp;
  if (authentication) inst.authentication = authentication;
  resolveVmac(d, inst, n, diags);
  checkAddressVmacs(inst, n, diags);
  if (d.virtualRoutes) inst.virtualRoutes = d.virtualRoutes;
  if (d.virtualRules) inst.virtualRules = d.virtualRules;
  return inst;
}

/**
 * A VIP / eVIP's own `use_vmac` option, checked as keepalived 2.2.7 does (vrrp_complete_instance): ignored with
 * a message when the address would be on the instance's VMAC anyway, or when use_vmac_addr already gives it
 * one.
 */
function checkAddressVmacs(inst: VrrpInstance, n: string, diags: Diagnostics): void {
  for (const v of [...inst.virtualIpAddresses, ...inst.excludedIpAddresses]) {
    if (!v.extraOptions.includes('use_vmac')) continue;
    const onInterface = v.dev === undefined || v.dev === inst.interface;
    const sameFamily = v.family === inst.family;
    let why: string | undefined;
    if (onInterface && inst.vmac && sameFamily)
      why = `${n} use_vmac specified for VIP/eVIP ${v.address} and vrrp instance`;
    else if ((!onInterface || !sameFamily) && inst.useVmacAddr)
      why = `${n} use_vmac_addr specified and use_vmac specified for VIP/eVIP ${v.address}`;
    if (why === undefined) continue;
    diags.warning(v.pos, `${why}; the address option is ignored`, 'use_vmac');
    v.extraOptions = v.extraOptions.filter((o) => o !== 'use_vmac');
  }
}

/** use_vmac / vmac_xmit_base / use_vmac_addr, with keepalived's strict-mode resets (vrrp_complete_instance). */
function resolveVmac(d: InstanceDraft, inst: VrrpInstance, n: string, diags: Diagnostics): void {
  if (d.useVmacAddr) inst.useVmacAddr = true;
  if (!d.vmac) return;
  const vmac = { ...d.vmac, xmitBase: d.vmacXmitBase ?? false };
  if (inst.strictMode && vmac.xmitBase) {
    diags.warning(d.vmac.pos, `${n} vmac_xmit_base is incompatible with strict mode - resetting`, 'vmac_xmit_base');
    vmac.xmitBase = false;
  }
  if (inst.strictMode && vmac.mac) {
    diags.warning(d.vmac.pos, `${n} strict mode does not allow a specified VMAC - using the RFC one`, 'use_vmac');
    delete vmac.mac;
  }
  inst.vmac = vmac;
}

/**
 * keepalived's advert_int handling: v2 carries whole seconds (1..255), so a fraction is rounded to the
 * nearest second (0.1 becomes 1) with a warning; v3 carries centiseconds (max 4095 = 40.95 s), so the
 * value is rounded to 10 ms with a warning. keepalived clamps a v3 value above 40.95 s; vrrpd refuses it.
 */
function resolveAdvertInterval(d: InstanceDraft, version: 2 | 3, n: string, diags: Diagnostics): number | undefined {
  const us = d.advertIntUs ?? 1_000_000;
  const pos = d.advertIntPos ?? d.pos;
  const seconds = formatSeconds(us);
  if (version === 2) {
    if (us % 1_000_000 === 0) return us / 10_000;
    let rounded = Math.floor((us + 500_000) / 1_000_000);
    if (rounded === 0) rounded = 1;
    if (rounded > 255) {
      diags.error(
        pos,
        `${n} advert_int ${seconds}s: VRRPv2 advertisement interval rounds to ${rounded}s, above 255s`,
        'advert_int',
      );
      return undefined;
    }
    diags.warning(
      pos,
      `${n} VRRPv2 advertisement interval ${seconds}s must be an integer, rounding to ${rounded}s`,
      'advert_int',
    );
    return rounded * 100;
  }
  let cs = Math.floor((us + 5_000) / 10_000);
  if (cs === 0) cs = 1;
  // Checked after rounding: 40.955 s rounds to 4096 cs, which the 12-bit field cannot carry (keepalived 2.2.7
  // sends it as 0).
  if (cs > 4095) {
    diags.error(
      pos,
      `${n} advert_int ${seconds}s: VRRPv3 advertisement interval is out of range [0.01, 40.95]`,
      'advert_int',
    );
    return undefined;
  }
  if (us % 10_000 === 0) return us / 10_000;
  diags.warning(
    pos,
    `${n} VRRPv3 advertisement interval ${seconds}s must be in units of 10ms, rounding to ${(cs / 100).toFixed(2)}s`,
    'advert_int',
  );
  return cs;
}

function formatSeconds(us: number): string {
  return String(us / 1_000_000);
}
