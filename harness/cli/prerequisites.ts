import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { LabAdapter } from '../adapters/lab-adapter.js';

/** A tool the lab may need, and the Debian package that provides it. */
export interface Prerequisite {
  name: string;
  /** A command looked up on PATH, or an absolute path. */
  command: string;
  aptPackage: string;
  /** What needs it (shown by doctor). */
  neededFor: string;
}

export const PREREQUISITES: readonly Prerequisite[] = [
  { name: 'iproute2', command: 'ip', aptPackage: 'iproute2', neededFor: 'namespaces, veths, bridges' },
  { name: 'tc', command: 'tc', aptPackage: 'iproute2', neededFor: 'netem impairments' },
  { name: 'nftables', command: 'nft', aptPackage: 'nftables', neededFor: 'dropMulticast switches, partitions' },
  { name: 'tcpdump', command: 'tcpdump', aptPackage: 'tcpdump', neededFor: 'packet captures' },
  { name: 'keepalived', command: 'keepalived', aptPackage: 'keepalived', neededFor: '--impl keepalived' },
  { name: 'FRR vrrpd', command: '/usr/lib/frr/vrrpd', aptPackage: 'frr', neededFor: '--impl frr' },
  { name: 'FRR zebra', command: '/usr/lib/frr/zebra', aptPackage: 'frr', neededFor: '--impl frr' },
  { name: 'nginx', command: 'nginx', aptPackage: 'nginx', neededFor: 'hosts with nginx: true' },
  { name: 'curl', command: 'curl', aptPackage: 'curl', neededFor: 'nginx health checks' },
];

/** Find an executable like the shell would (no fork). */
export async function findExecutable(command: string): Promise<string | undefined> {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin')
        .split(delimiter)
        .concat(['/usr/sbin', '/sbin'])
        .map((d) => join(d, command));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export async function missingPrerequisites(names?: readonly string[]): Promise<Prerequisite[]> {
  const wanted = names === undefined ? PREREQUISITES : PREREQUISITES.filter((p) => names.includes(p.command));
  const found = await Promise.all(wanted.map((p) => findExecutable(p.command)));
  return wanted.filter((_, i) => found[i] === undefined);
}

/** `apt-get install -y a b` for the packages of the missing tools (deduplicated). */
export function aptInstallLine(missing: readonly Prerequisite[]): string {
  return `apt-get install -y ${[...new Set(missing.map((p) => p.aptPackage))].join(' ')}`;
}

/**
 * The one-line reason the lab cannot start, or undefined when it can. Checked before anything is
 * created, so a missing tool never leaves half a topology behind.
 */
export async function preflight(commands: readonly string[]): Promise<string | undefined> {
  if (!isRoot()) return 'vrrp-lab needs root (network namespaces, veths, nftables): run it with sudo';
  const missing = await missingPrerequisites(commands);
  if (missing.length === 0) return undefined;
  return `missing ${missing.map((m) => m.command).join(', ')}: ${aptInstallLine(missing)}`;
}

/** Programs each built-in implementation needs (an adapter file lists its own: LabAdapter.programs). */
export const IMPL_TOOLS: Readonly<Record<string, readonly string[]>> = {
  vrrpd: [],
  keepalived: ['keepalived'],
  frr: ['/usr/lib/frr/vrrpd', '/usr/lib/frr/zebra'],
};

/** Why an implementation cannot run on this machine (a program it needs is missing), else undefined. */
export async function notInstalled(adapter: Pick<LabAdapter, 'name' | 'programs'>): Promise<string | undefined> {
  const missing = await missingPrerequisites(IMPL_TOOLS[adapter.name] ?? []);
  if (missing.length > 0) return `${adapter.name} is not installed (${aptInstallLine(missing)})`;
  const absent: string[] = [];
  for (const p of adapter.programs ?? []) if ((await findExecutable(p)) === undefined) absent.push(p);
  return absent.length === 0 ? undefined : `${adapter.name} needs ${absent.join(', ')}: not found`;
}
