import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import { parseTopology, type Topology, type TopologyInput } from '../topology/index.js';
import type { vrrpInstanceSchema } from '../topology/vrrp-settings.js';

export type VrrpInstanceInput = z.input<typeof vrrpInstanceSchema>;

/**
 * Changes a scenario makes to a shared topology file ("the seed pair, but with unicast on"). Applied to the
 * document before validation, so an override that makes the topology invalid fails with the topology's own
 * path-named error, not later in an adapter.
 */
export interface TopologyOverrides {
  /** Applied to every VRRP instance of every router. */
  vrrp?: Partial<VrrpInstanceInput>;
  /** Per host, applied after `vrrp`. */
  hosts?: Record<string, { vrrp?: Partial<VrrpInstanceInput>; nginx?: boolean }>;
  /** Applied to every switch. */
  switches?: { dropMulticast?: boolean; mcastSnooping?: boolean };
}

export type TopologySource =
  | { file: string; overrides?: TopologyOverrides }
  | { inline: TopologyInput; overrides?: TopologyOverrides };

/** scenarios/topologies, from both the sources (harness/scenario) and the build output (dist/harness/scenario). */
export function topologiesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = here.includes('/dist/') ? join(here, '..', '..', '..') : join(here, '..', '..');
  return join(root, 'scenarios', 'topologies');
}

type Doc = {
  hosts?: Record<string, { vrrp?: Record<string, unknown>[]; nginx?: boolean }>;
  switches?: Record<string, Record<string, unknown>>;
};

export function applyOverrides(input: unknown, o: TopologyOverrides | undefined): unknown {
  if (!o) return input;
  const doc = structuredClone(input) as Doc;
  for (const [name, host] of Object.entries(doc.hosts ?? {})) {
    const perHost = o.hosts?.[name];
    if (perHost?.nginx !== undefined) host.nginx = perHost.nginx;
    if (host.vrrp) host.vrrp = host.vrrp.map((inst) => ({ ...inst, ...o.vrrp, ...perHost?.vrrp }));
  }
  if (o.switches) for (const sw of Object.values(doc.switches ?? {})) Object.assign(sw, o.switches);
  return doc;
}

export async function resolveTopology(src: TopologySource): Promise<Topology> {
  if ('inline' in src) return parseTopology(applyOverrides(src.inline, src.overrides), '<inline topology>');
  const path = src.file.includes('/') ? src.file : join(topologiesDir(), src.file);
  const raw = parse(await readFile(path, 'utf8')) as unknown;
  return parseTopology(applyOverrides(raw, src.overrides), src.file);
}
