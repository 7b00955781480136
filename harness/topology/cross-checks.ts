import { addressKey, parseCidr, stripPrefix, subnetContains } from './cidr.js';
import { addressPath } from './normalize.js';
import type { TopologyDocument } from './schema.js';
import { formatPath, type TopologyIssue } from './topology-error.js';
import type { Topology, TopologyHost } from './types.js';

/** Names the backend uses for itself in the same namespace space as hosts. */
const RESERVED_HOST_NAMES = new Set(['sw']);

/**
 * Checks that need the whole document: references between hosts and switches, address clashes, VIP
 * placement and unicast peer counts. Each issue names the path of the offending value.
 */
export function crossCheckTopology(topo: Topology, doc: TopologyDocument): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path: formatPath(path), message });
  const seen = new Map<string, string>();

  for (const host of Object.values(topo.hosts)) {
    if (RESERVED_HOST_NAMES.has(host.name)) add(['hosts', host.name], `host name "${host.name}" is reserved`);
    const ifnames = new Set<string>();
    host.links.forEach((link, li) => {
      if (!(link.switch in topo.switches)) {
        const known = Object.keys(topo.switches).join(', ') || 'none';
        add(['hosts', host.name, 'links', li, 'switch'], `unknown switch "${link.switch}" (known: ${known})`);
      }
      if (ifnames.has(link.ifname))
        add(['hosts', host.name, 'links', li, 'ifname'], `duplicate interface "${link.ifname}"`);
      ifnames.add(link.ifname);
      link.addresses.forEach((a, ai) => {
        const key = addressKey(stripPrefix(a));
        if (key === undefined) return;
        const path = formatPath(addressPath(doc, host.name, li, ai));
        const first = seen.get(key);
        if (first !== undefined) issues.push({ path, message: `duplicate address ${stripPrefix(a)} (also ${first})` });
        else seen.set(key, path);
      });
    });
    checkVrrp(topo, host, add);
  }
  return issues;
}

function checkVrrp(
  topo: Topology,
  host: TopologyHost,
  add: (path: (string | number)[], message: string) => void,
): void {
  const subnets = host.links.flatMap((l) => l.addresses.map((a) => ({ link: l, net: parseCidr(a) })));
  host.vrrp.forEach((inst, ii) => {
    const base = ['hosts', host.name, 'vrrp', ii];
    const families = new Set<number>();
    const switchesOfInstance = new Set<string>();
    inst.vips.forEach((vip, vi) => {
      const c = parseCidr(vip);
      if (!c) {
        add([...base, 'vips', vi], 'invalid CIDR');
        return;
      }
      families.add(c.family);
      const home = subnets.find((s) => s.net !== undefined && subnetContains(s.net, c.address));
      if (!home) {
        const nets = host.links.flatMap((l) => l.addresses).join(', ');
        add([...base, 'vips', vi], `VIP ${vip} is not inside any link subnet of ${host.name} (${nets})`);
      } else switchesOfInstance.add(home.link.switch);
    });
    if (families.size > 1) add([...base, 'vips'], 'VIPs of one instance must share one address family');
    inst.trackInterfaces.forEach((ifn, ti) => {
      if (!host.links.some((l) => l.ifname === ifn))
        add([...base, 'trackInterfaces', ti], `unknown interface "${ifn}"`);
    });
    if (inst.unicast) {
      for (const sw of switchesOfInstance) {
        const routers = Object.values(topo.hosts).filter(
          (h) => h.links.some((l) => l.switch === sw) && h.vrrp.some((v) => v.vrid === inst.vrid),
        );
        if (routers.length < 2) {
          add(
            [...base, 'unicast'],
            `unicast needs at least 2 routers with VRID ${inst.vrid} on switch ${sw} (found ${routers.length})`,
          );
        }
      }
    }
  });
}
