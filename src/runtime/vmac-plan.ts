/**
 * What `use_vmac` changes about an instance, derived without touching the OS: the macvlan's name and MAC,
 * which interface the VRRP socket uses, and which VIPs move onto the macvlan (keepalived 2.2.7
 * vrrp_complete_instance / netlink_link_add_vmac).
 */
import type { GlobalDefs, VrrpInstance } from '../config/model.js';
import type { InstanceSettings } from './instance-config.js';
import type { VipSpec } from './vip-spec.js';

export interface VmacPlan {
  name: string;
  mac: string;
  /** Interface of the instance (the macvlan's parent). */
  parent: string;
  family: 4 | 6;
  /** vmac_xmit_base: adverts from the parent (its MAC); VIPs and GARPs still on the macvlan. */
  xmitBase: boolean;
}

/** 00:00:5e:00:01:VRID (IPv6: 00:00:5e:00:02:VRID), RFC 5798 §7.3; a 5-octet configured MAC gets the VRID. */
export function vmacAddress(inst: VrrpInstance): string {
  const vrid = inst.virtualRouterId.toString(16).padStart(2, '0');
  const configured = inst.vmac?.mac;
  if (configured) return configured.split(':').length === 5 ? `${configured}:${vrid}` : configured;
  return `00:00:5e:00:0${inst.family === 'ipv6' ? 2 : 1}:${vrid}`;
}

/**
 * VMAC interface names for every use_vmac instance, in config order: the configured name, else
 * `PREFIX.VRID`; when that is taken by an earlier instance, keepalived's create_vmac_name() sequence
 * (IPv6 tries `PREFIX6.VRID` first, then `PREFIX1.VRID`, `PREFIX2.VRID`, ...).
 */
export function vmacNames(instances: readonly VrrpInstance[], g: GlobalDefs): Map<string, string> {
  const prefix = g.vmacPrefix ?? 'vrrp';
  const used = new Set(instances.flatMap((i) => (i.vmac?.ifname ? [i.vmac.ifname] : [])));
  const out = new Map<string, string>();
  for (const inst of instances) {
    if (!inst.vmac) continue;
    if (inst.vmac.ifname) {
      out.set(inst.name, inst.vmac.ifname);
      continue;
    }
    const name = freeVmacName(prefix, inst.virtualRouterId, inst.family === 'ipv6' ? 6 : 4, used);
    used.add(name);
    out.set(inst.name, name);
  }
  return out;
}

/** keepalived's create_vmac_name(): `PREFIX.VRID`, then (IPv6 `PREFIX6.VRID` first) `PREFIX1.VRID`, ... */
function freeVmacName(prefix: string, vrid: number, family: 4 | 6, used: ReadonlySet<string>): string {
  const candidates = [`${prefix}.${vrid}`];
  const order = family === 6 ? [6, 1, 2, 3, 4, 5, 7, 8, 9] : [1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (const n of order) candidates.push(`${prefix}${n}.${vrid}`);
  return candidates.map((c) => c.slice(0, 15)).find((c) => !used.has(c)) ?? candidates[0]!;
}

/** A VMAC that `use_vmac_addr` creates for the addresses of one (interface, family) of an instance. */
export interface AddressVmacPlan {
  name: string;
  mac: string;
  parent: string;
  family: 4 | 6;
}

/**
 * `use_vmac_addr` (keepalived 2.2.7 vrrp_complete_instance): every VIP / eVIP on another interface than the
 * instance's, or of the other address family — and any address with the `use_vmac` option (on the instance's
 * interface too) — lives on a VMAC of its own, named from vmac_addr_prefix — one per (interface, family),
 * MAC 00:00:5e:00:01:VRID (IPv6 :02:; the instance's configured use_vmac MAC if it has one), named like the
 * instance VMACs (skipping `taken`, which it extends). Addresses already on the instance's VMAC stay there.
 * Returns the plans and the settings with those addresses moved.
 */
export function addressVmacPlans(
  inst: VrrpInstance,
  s: InstanceSettings,
  g: GlobalDefs,
  taken: Set<string>,
): { plans: AddressVmacPlan[]; settings: InstanceSettings } {
  const family = inst.family === 'ipv6' ? 6 : 4;
  const byKey = new Map<string, AddressVmacPlan>();
  const move = (v: VipSpec): VipSpec => {
    if (s.vmac !== undefined && v.dev === s.vmac.ifname) return v;
    const elsewhere = v.dev !== inst.interface || v.family !== family;
    if (!v.useVmac && !(inst.useVmacAddr && elsewhere)) return v;
    const key = `${v.dev}/${v.family}`;
    let plan = byKey.get(key);
    if (!plan) {
      const vrid = inst.virtualRouterId.toString(16).padStart(2, '0');
      const configured = inst.vmac?.mac ? vmacAddress(inst) : undefined;
      const name = freeVmacName(g.vmacAddrPrefix ?? g.vmacPrefix ?? 'vrrp', inst.virtualRouterId, v.family, taken);
      taken.add(name);
      plan = {
        name,
        mac: configured ?? `00:00:5e:00:0${v.family === 6 ? 2 : 1}:${vrid}`,
        parent: v.dev,
        family: v.family,
      };
      byKey.set(key, plan);
    }
    return { ...v, dev: plan.name };
  };
  const settings = { ...s, vips: s.vips.map(move), excludedVips: s.excludedVips.map(move) };
  return { plans: [...byKey.values()], settings };
}

export function vmacPlan(inst: VrrpInstance, name: string | undefined): VmacPlan | undefined {
  if (!inst.vmac || !name) return undefined;
  return {
    name,
    mac: vmacAddress(inst),
    parent: inst.interface,
    family: inst.family === 'ipv6' ? 6 : 4,
    xmitBase: inst.vmac.xmitBase,
  };
}

/**
 * The instance's settings with the VMAC applied: VIPs of the instance's family without a `dev` (or with
 * the instance's interface as dev) go on the macvlan; the VRRP socket is opened on the macvlan unless
 * vmac_xmit_base. The advert source stays the parent's address (keepalived's VRRP_CONFIGURED_IFP).
 */
export function applyVmacPlan(s: InstanceSettings, plan: VmacPlan): InstanceSettings {
  return {
    ...s,
    ifname: plan.xmitBase ? plan.parent : plan.name,
    vips: s.vips.map((v) => (v.dev === plan.parent ? { ...v, dev: plan.name } : v)),
    vmac: { ifname: plan.name, mac: plan.mac },
  };
}
