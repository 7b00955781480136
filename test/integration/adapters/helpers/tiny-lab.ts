import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { isAlive } from '../../../../harness/adapters/proc.js';
import type { AdapterHost } from '../../../../harness/adapters/types.js';
import { Lab } from '../../../../harness/backends/netns/lab.js';
import { RUN_ENV } from '../../../../harness/backends/netns/names.js';
import { listPids, pidsWithEnv } from '../../../../harness/platform/procfs.js';
import { defineTopology } from '../../../../harness/topology/load.js';
import type { VrrpInstanceSettings } from '../../../../harness/topology/vrrp-settings.js';

/**
 * A throw-away lab for adapter integration tests: the harness's own Lab (switch namespace, host
 * namespaces, veths between them, run id on everything) with N routers r1..rN at 10.77.0.11.. on one
 * switch, no nginx. Each test gives a host the VRRP settings it needs with withInstances(); the
 * adapters see exactly the AdapterHost a scenario's adapters see.
 */

export interface TestHost extends AdapterHost {
  netns: string;
  /** Address without prefix. */
  ip: string;
}

export interface TinyLab {
  lab: Lab;
  hosts: TestHost[];
  destroy(): Promise<void>;
}

export async function createTinyLab(hostCount: number): Promise<TinyLab> {
  const runsDir = await mkdtemp(join(tmpdir(), 'vrrp-lab-adapters-'));
  // mkdtemp gives 0700: FRR's daemons run as frr and must reach their directory below it.
  await chmod(runsDir, 0o755);
  const names = Array.from({ length: hostCount }, (_, k) => `r${k + 1}`);
  const router = (k: number) => ({
    role: 'router' as const,
    links: [{ switch: 'sw', addresses: [`10.77.0.${11 + k}/24`] }],
    // Replaced per test (withInstances); the topology needs one.
    vrrp: [{ vrid: 1, vips: ['10.77.0.250/24'] }],
  });
  const topology = defineTopology({
    name: 'adapters',
    switches: { sw: {} },
    hosts: Object.fromEntries(names.map((n, k) => [n, router(k)])),
  });
  const lab = await Lab.build(topology, { runsDir, startNginx: false }).catch(async (err: unknown) => {
    await rm(runsDir, { recursive: true, force: true });
    throw err;
  });
  const hosts = names.map((n, k) => ({ ...lab.adapterHost(n), netns: lab.host(n).netns, ip: `10.77.0.${11 + k}` }));
  return {
    lab,
    hosts,
    destroy: async () => {
      await lab.destroy();
      await rm(runsDir, { recursive: true, force: true });
    },
  };
}

/**
 * Live processes of the lab besides the namespace anchors: tagged with its run id, or with the run
 * directory on their command line (every daemon's configuration lives there), whichever finds more.
 */
export async function labProcesses(t: TinyLab): Promise<Array<{ pid: number; cmdline: string }>> {
  const anchors = new Set(Object.values(t.lab.manifest.anchors));
  const tagged = new Set(await pidsWithEnv(RUN_ENV, t.lab.runId));
  const out: Array<{ pid: number; cmdline: string }> = [];
  for (const pid of await listPids()) {
    if (pid === process.pid || anchors.has(pid) || !isAlive(pid)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue; // exited while we looked
    }
    if (tagged.has(pid) || cmdline.includes(`${t.lab.dir}/`)) out.push({ pid, cmdline });
  }
  return out;
}

/** A copy of the host with other VRRP settings (exec/spawn are closures, so spreading keeps them working). */
export function withInstances(h: TestHost, instances: VrrpInstanceSettings[]): TestHost {
  return { ...h, instances };
}

/** Local IPv4/IPv6 addresses (no prefix) on the host's VRRP interface. */
export async function addressesOn(h: TestHost, ifname = h.ifname): Promise<string[]> {
  const r = await execa('ip', ['-n', h.netns, '-j', 'addr', 'show', 'dev', ifname], { reject: false });
  if (r.exitCode !== 0) return [];
  const links = JSON.parse(r.stdout) as Array<{ addr_info?: Array<{ local?: string }> }>;
  return links.flatMap((l) => (l.addr_info ?? []).map((a) => a.local ?? ''));
}
