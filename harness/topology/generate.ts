import { defineTopology } from './load.js';
import type { TopologyInput } from './schema.js';
import type { Topology } from './types.js';

/**
 * A generated topology: `routers` routers sharing VRID 51 (priorities spread 250…), `clients` clients,
 * all on one switch in 10.99.0.0/16 (IPv4) and fd00:99::/64. For benchmarks and scale tests.
 */
export function generateStarTopology(o: {
  routers: number;
  clients?: number;
  nginx?: boolean;
  name?: string;
}): Topology {
  const clients = o.clients ?? 0;
  const hosts: TopologyInput['hosts'] = {};
  const addr = (i: number) => `10.99.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  for (let i = 0; i < o.routers + clients; i++) {
    const isRouter = i < o.routers;
    const link = { switch: 'sw', addresses: [`${addr(i)}/16`, `fd00:99::${(i + 1).toString(16)}/64`] };
    if (isRouter) {
      hosts[`r${i + 1}`] = {
        role: 'router',
        nginx: o.nginx ?? false,
        links: [link],
        vrrp: [{ vrid: 51, priority: Math.max(1, 250 - i), vips: ['10.99.255.254/16'] }],
      };
    } else {
      hosts[`c${i + 1 - o.routers}`] = { role: 'client', links: [link] };
    }
  }
  return defineTopology(
    { name: o.name ?? `star-${o.routers}r${clients}c`, switches: { sw: {} }, hosts },
    `generated(${o.routers} routers, ${clients} clients)`,
  );
}
