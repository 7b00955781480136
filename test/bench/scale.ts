import { readFile } from 'node:fs/promises';
import { resolveAdapter } from '../../harness/adapters/registry.js';
import type { ImplName } from '../../harness/adapters/types.js';
import { defineTopology, Lab, waitFor } from '../../harness/lab/index.js';
import { pidsInNetns } from '../../harness/platform/procfs.js';

/**
 * One daemon with 255 instances (VRIDs 1..255) at a 0.1 s advert interval, next to a peer with the same
 * instances at a lower priority: resident memory and CPU share of the Master's processes over a window.
 */
export interface ScaleResult {
  impl: ImplName;
  instances: number;
  convergedMs: number;
  rssMiB: number;
  cpuPercent: number;
  windowMs: number;
}

const CLK_TCK = 100;

async function procTimes(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime, seconds
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** The implementation's processes in the host: the pids in its netns whose command line is the daemon's. */
async function daemonPids(lab: Lab, host: string, impl: ImplName): Promise<number[]> {
  const netns = lab.host(host).netns;
  const pids = (await pidsInNetns([netns])).get(netns) ?? [];
  const want = impl === 'vrrpd' ? 'vrrpd.js' : impl === 'keepalived' ? 'keepalived' : '/usr/lib/frr/';
  const cmds = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
  return pids.filter((_, i) => cmds[i]?.includes(want));
}

export async function benchScale(impl: ImplName, instances = 255, windowMs = 10_000): Promise<ScaleResult> {
  const router = (n: number, priority: number) => ({
    role: 'router' as const,
    links: [{ switch: 'sw', address: `10.99.0.1${n}/16` }],
    vrrp: Array.from({ length: instances }, (_, i) => ({
      name: `VI_${i + 1}`,
      vrid: i + 1,
      priority,
      version: 3 as const,
      advertIntervalS: 0.1,
      vips: [`10.99.1.${i + 1}/16`],
      garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 0 },
    })),
  });
  const lab = await Lab.build(
    defineTopology({ name: 'scale', switches: { sw: {} }, hosts: { r1: router(1, 150), r2: router(2, 100) } }),
  );
  try {
    const started = performance.now();
    await lab.startImplementation(await resolveAdapter(impl));
    const r1 = lab.host('r1');
    await waitFor(
      async () => {
        for (let i = 1; i <= instances; i++) if (!(await r1.hasLocalAddress(`10.99.1.${i}`))) return false;
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `r1 holds all ${instances} VIPs` },
    );
    const convergedMs = performance.now() - started;
    const pids = await daemonPids(lab, 'r1', impl);
    if (pids.length === 0) throw new Error(`no ${impl} process found on r1`);
    const cpu0 = (await Promise.all(pids.map(procTimes))).reduce((a, b) => a + b, 0);
    const t0 = performance.now();
    await waitFor(async () => performance.now() - t0 >= windowMs, {
      timeoutMs: windowMs + 5_000,
      intervalMs: 500,
      description: 'the measurement window',
    });
    const cpu1 = (await Promise.all(pids.map(procTimes))).reduce((a, b) => a + b, 0);
    const elapsed = performance.now() - t0;
    const rss = (await Promise.all(pids.map(rssKiB))).reduce((a, b) => a + b, 0);
    return {
      impl,
      instances,
      convergedMs: Math.round(convergedMs),
      rssMiB: Math.round((rss / 1024) * 10) / 10,
      cpuPercent: Math.round(((cpu1 - cpu0) / (elapsed / 1000)) * 1000) / 10,
      windowMs: Math.round(elapsed),
    };
  } finally {
    await lab.stopImplementation().catch(() => undefined);
    await lab.destroy();
  }
}
