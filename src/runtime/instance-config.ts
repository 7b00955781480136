import type { GlobalDefs, VrrpInstance } from '../config/model.js';
import type { InstanceParams } from '../core/types.js';
import type { Family } from '../protocol/types.js';
import { type VipSpec, vipSpec } from './vip-spec.js';

/** What the runtime needs to know about the local interface of an instance. */
export interface LocalInterface {
  ifname: string;
  mac: string;
  ipv4: string[];
  ipv6LinkLocal?: string;
}

/** An instance's settings as the runtime uses them, derived once from the parsed config. */
export interface InstanceSettings {
  name: string;
  ifname: string;
  family: Family;
  /** Source of our adverts, and the address compared in the equal-priority tie-break. */
  primaryAddress: string;
  /** VIPs (advertised), with the device and options each one is added with. */
  vips: VipSpec[];
  /** `virtual_ipaddress_excluded`: installed and removed with the VIPs, never advertised (any family). */
  excludedVips: VipSpec[];
  /** The interface's IPv6 link-local address: the source of unsolicited NAs for IPv6 (excluded) VIPs. */
  ipv6LinkLocal?: string;
  unicastPeers: string[];
  /** `unicast_fault_no_peer` with an empty peer list: FAULT, and no multicast fallback. */
  faultNoPeer: boolean;
  /** TTL / hop limit of unicast adverts (`unicast_ttl`, default 255). */
  unicastTtl: number;
  /** `check_unicast_src` (or global `vrrp_check_unicast_src`, or a peer's min_ttl/max_ttl): only peers, in TTL range. */
  checkUnicastSrc: boolean;
  /** Each peer's accepted TTL / hop limit range (`min_ttl`, `max_ttl`; default 0..255), by configured address. */
  peerTtl: Record<string, { min: number; max: number }>;
  /** `skip_check_adv_addr`: a Backup does not re-check the addresses of adverts from the Master it last heard. */
  skipCheckAdvAddr: boolean;
  multicastGroup: string;
  authType: 0 | 1;
  authPass?: string;
  params: InstanceParams;
  /** use_vmac: the macvlan carrying the VIPs and its MAC (GARPs leave from it). */
  vmac?: { ifname: string; mac: string };
  /** `garp_extra_if` (interval > 0): periodic GARPs on the other interfaces carrying the VIPs while Master. */
  garpExtra?: { intervalUs: number; all: boolean };
}

const US = 1_000_000;

/**
 * keepalived's source address rules: unicast_src_ip, else mcast_src_ip, else the interface's primary IPv4
 * address / first link-local IPv6 address (RFC 5798 §5.1.1.1, §5.1.2.1). Throws with a one-line reason.
 */
export function primaryAddressFor(inst: VrrpInstance, iface: LocalInterface): string {
  const explicit = inst.unicastSrcIp ?? inst.mcastSrcIp;
  if (explicit) return explicit;
  if (inst.family === 'ipv6') {
    if (!iface.ipv6LinkLocal) throw new Error(`interface '${iface.ifname}' has no IPv6 link-local address`);
    return iface.ipv6LinkLocal;
  }
  const first = iface.ipv4[0];
  if (!first) throw new Error(`interface '${iface.ifname}' has no IPv4 address to send adverts from`);
  return first;
}

export function instanceSettings(inst: VrrpInstance, g: GlobalDefs, iface: LocalInterface): InstanceSettings {
  const family: Family = inst.family === 'ipv6' ? 6 : 4;
  const primaryAddress = primaryAddressFor(inst, iface);
  const params: InstanceParams = {
    name: inst.name,
    version: inst.version,
    vrid: inst.virtualRouterId,
    priority: inst.priority,
    advertIntervalCs: inst.advertIntervalCs,
    preempt: inst.preempt,
    preemptDelayUs: Math.round(inst.preemptDelay * US),
    initialState: inst.state,
    primaryAddress,
    lowerPrioNoAdvert: inst.lowerPrioNoAdvert,
    higherPrioSendAdvert: inst.higherPrioSendAdvert,
    downTimerAdverts: inst.downTimerAdverts,
    garp: {
      masterDelayUs: Math.round(inst.garpMasterDelay * US),
      masterRepeat: inst.garpMasterRepeat,
      masterRefreshUs: Math.round(inst.garpMasterRefresh * US),
      masterRefreshRepeat: inst.garpMasterRefreshRepeat,
      lowerPrioDelayUs: Math.round(inst.garpLowerPrioDelay * US),
      lowerPrioRepeat: inst.garpLowerPrioRepeat,
    },
  };
  return {
    name: inst.name,
    ifname: inst.interface,
    family,
    primaryAddress,
    vips: inst.virtualIpAddresses.map((v) => vipSpec(v, inst.interface)),
    excludedVips: inst.excludedIpAddresses.map((v) => vipSpec(v, inst.interface)),
    ...(iface.ipv6LinkLocal ? { ipv6LinkLocal: iface.ipv6LinkLocal } : {}),
    unicastPeers: inst.unicastPeers.map((p) => p.address),
    unicastTtl: inst.unicastTtl,
    faultNoPeer: inst.unicastFaultNoPeer && inst.unicastPeers.length === 0,
    checkUnicastSrc: inst.checkUnicastSrc,
    peerTtl: Object.fromEntries(
      inst.unicastPeers.map((p) => [p.address, { min: p.minTtl ?? 0, max: p.maxTtl ?? 255 }]),
    ),
    skipCheckAdvAddr: inst.skipCheckAdvAddr,
    ...(inst.garpExtraIf && inst.garpExtraIf.intervalS > 0
      ? { garpExtra: { intervalUs: inst.garpExtraIf.intervalS * US, all: inst.garpExtraIf.all } }
      : {}),
    multicastGroup: inst.mcastDstIp ?? (family === 4 ? g.mcastGroup4 : g.mcastGroup6),
    authType: inst.version === 2 && inst.authentication?.type === 'PASS' ? 1 : 0,
    authPass: inst.version === 2 ? inst.authentication?.password : undefined,
    params,
  };
}

/** Every address the instance installs as Master: its VIPs, then its excluded VIPs. */
export function installedAddresses(s: Pick<InstanceSettings, 'vips' | 'excludedVips'>): VipSpec[] {
  return [...s.vips, ...s.excludedVips];
}
