import { parseCidr } from '../../topology/cidr.js';
import type { Topology } from '../../topology/types.js';
import { bridgeName, hostNetns, portName, switchNetns } from './names.js';

export interface PlannedLink {
  host: string;
  hostIndex: number;
  linkIndex: number;
  switch: string;
  ifname: string;
  port: string;
  bridge: string;
  addresses: string[];
}

/**
 * Everything `build()` creates, as `ip -batch` scripts per stage. Pure (no I/O) so the naming and
 * ordering are unit-testable and the same plan drives creation and the manifest.
 */
export interface BuildPlan {
  switchNetns: string;
  hostNetns: Record<string, string>;
  bridges: Record<string, string>;
  links: PlannedLink[];
  /** Stage 1, root namespace: create every namespace. */
  createNetns: string[];
  /** Stage 2, root namespace: veth pairs created directly between host and switch namespace. */
  createVeths: string[];
  /** Stage 3, in the switch namespace: bridges and ports. */
  switchSetup: string[];
  /** Stage 3, per host namespace (in parallel): loopback, addresses, links up. */
  hostSetup: Record<string, string[]>;
}

export function buildPlan(topo: Topology, rid: string): BuildPlan {
  const sw = switchNetns(rid);
  const hostNs: Record<string, string> = {};
  const bridges: Record<string, string> = {};
  Object.keys(topo.switches).forEach((name, i) => {
    bridges[name] = bridgeName(rid, i);
  });
  const links: PlannedLink[] = [];
  Object.values(topo.hosts).forEach((h, hi) => {
    hostNs[h.name] = hostNetns(rid, h.name);
    h.links.forEach((l, li) => {
      const bridge = bridges[l.switch];
      if (bridge === undefined) throw new Error(`unknown switch ${l.switch}`); // excluded by validation
      links.push({
        host: h.name,
        hostIndex: hi,
        linkIndex: li,
        switch: l.switch,
        ifname: l.ifname,
        port: portName(rid, hi, li),
        bridge,
        addresses: l.addresses,
      });
    });
  });

  const switchSetup = ['link set lo up'];
  for (const [name, br] of Object.entries(bridges)) {
    const snoop = topo.switches[name]?.mcastSnooping ? 1 : 0;
    // forward_delay 0 + STP off: ports forward at once (no 15 s listening/learning). Snooping off by
    // default: VRRP multicast then floods to every port, like the dumb switch of the lab notes.
    switchSetup.push(`link add ${br} type bridge forward_delay 0 stp_state 0 mcast_snooping ${snoop}`);
    switchSetup.push(`link set ${br} up`);
  }
  for (const l of links) switchSetup.push(`link set ${l.port} master ${l.bridge} up`);

  const hostSetup: Record<string, string[]> = {};
  for (const h of Object.values(topo.hosts)) {
    const lines = ['link set lo up'];
    for (const l of links.filter((x) => x.host === h.name)) {
      for (const a of l.addresses) {
        // nodad: IPv6 addresses are usable at once instead of "tentative" for ~1 s of DAD; every
        // address in a run is unique by validation, so DAD would find nothing anyway.
        lines.push(`addr add ${a} dev ${l.ifname}${parseCidr(a)?.family === 6 ? ' nodad' : ''}`);
      }
      lines.push(`link set ${l.ifname} up`);
    }
    hostSetup[h.name] = lines;
  }

  return {
    switchNetns: sw,
    hostNetns: hostNs,
    bridges,
    links,
    createNetns: [sw, ...Object.values(hostNs)].map((n) => `netns add ${n}`),
    createVeths: links.map(
      (l) => `link add ${l.ifname} netns ${hostNs[l.host]} type veth peer name ${l.port} netns ${sw}`,
    ),
    switchSetup,
    hostSetup,
  };
}
