import type { TopologyDocument } from './schema.js';
import type { Topology, TopologyHost } from './types.js';

/** Fill derived fields: default interface names, one `addresses` list per link, names inside records. */
export function normalizeTopology(doc: TopologyDocument): Topology {
  const switches: Topology['switches'] = {};
  for (const [name, sw] of Object.entries(doc.switches)) switches[name] = { name, ...sw };
  const hosts: Record<string, TopologyHost> = {};
  for (const [name, h] of Object.entries(doc.hosts)) {
    hosts[name] = {
      name,
      role: h.role,
      nginx: h.nginx,
      vrrp: h.role === 'router' ? h.vrrp : [],
      ...(h.role === 'router' && h.impl !== undefined ? { impl: h.impl } : {}),
      links: h.links.map((l, i) => ({
        switch: l.switch,
        ifname: l.ifname ?? `eth${i}`,
        addresses: [...(l.address === undefined ? [] : [l.address]), ...(l.addresses ?? [])],
      })),
    };
  }
  return {
    name: doc.name,
    ...(doc.description === undefined ? {} : { description: doc.description }),
    switches,
    hosts,
  };
}

/** Path of the i-th normalised address of a link, as the user wrote it (`address` or `addresses[n]`). */
export function addressPath(doc: TopologyDocument, host: string, link: number, i: number): (string | number)[] {
  const raw = doc.hosts[host]?.links[link];
  const base = ['hosts', host, 'links', link];
  if (raw?.address !== undefined) return i === 0 ? [...base, 'address'] : [...base, 'addresses', i - 1];
  return [...base, 'addresses', i];
}
