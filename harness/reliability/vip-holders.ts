import type { ImplementationAdapter } from '../adapters/types.js';
import type { Lab } from '../lab/index.js';
import { run } from '../platform/run.js';

/**
 * Whether a router holds `vip` in the data plane right now: the address on its interface, or, for an
 * implementation that keeps the VIP on a protodown macvlan (FRR), that macvlan up and not protodown.
 */
export async function holdsVip(lab: Lab, adapter: ImplementationAdapter, host: string, vip: string): Promise<boolean> {
  const ifname = adapter.holderInterface?.(lab.adapterHost(host), vip);
  if (ifname === undefined) return lab.host(host).hasLocalAddress(vip);
  const r = await run('ip', ['-d', '-j', 'link', 'show', 'dev', ifname], { netns: lab.host(host).netns }).catch(
    () => undefined,
  );
  if (!r) return false;
  const [link] = JSON.parse(r.stdout) as Array<{ flags?: string[]; proto_down?: boolean }>;
  return link !== undefined && link.proto_down !== true && link.flags?.includes('UP') === true;
}

/** Every router of `hosts` that holds `vip`. */
export async function vipHolders(
  lab: Lab,
  adapter: ImplementationAdapter,
  hosts: readonly string[],
  vip: string,
): Promise<string[]> {
  const held = await Promise.all(hosts.map((h) => holdsVip(lab, adapter, h, vip)));
  return hosts.filter((_, i) => held[i]);
}

/** MAC and IPv4 addresses of an interface in a host's namespace. */
export async function linkFacts(lab: Lab, host: string): Promise<{ mac: string; ipv4: string[] }> {
  const h = lab.host(host);
  const { stdout } = await run('ip', ['-j', 'addr', 'show', 'dev', h.ifname], { netns: h.netns });
  const [link] = JSON.parse(stdout) as Array<{ address: string; addr_info?: Array<{ family: string; local: string }> }>;
  if (!link) throw new Error(`no interface ${h.ifname} on ${host}`);
  return { mac: link.address, ipv4: (link.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => a.local) };
}
