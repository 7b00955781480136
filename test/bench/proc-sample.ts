import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { ImplName } from '../../harness/adapters/types.js';
import { vrrpdCliPath } from '../../harness/adapters/vrrpd.js';
import type { Lab } from '../../harness/lab/index.js';
import { pidsInNetns } from '../../harness/platform/procfs.js';

/** CPU and memory of a daemon's processes read from /proc, and the machine's load next to each figure. */

const CLK_TCK = 100;

/** utime + stime of one process (all its threads), seconds. */
export async function procTimes(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

export async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** The implementation's processes in the host: the pids in its netns whose command line is the daemon's. */
export async function daemonPids(lab: Lab, host: string, impl: ImplName): Promise<number[]> {
  const netns = lab.host(host).netns;
  const pids = (await pidsInNetns([netns])).get(netns) ?? [];
  const want = impl === 'vrrpd' ? vrrpdCliPath() : impl === 'keepalived' ? 'keepalived' : '/usr/lib/frr/';
  const cmds = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
  return pids.filter((_, i) => cmds[i]?.includes(want));
}

/** CPU share (%) of `pids` over `windowMs`, and their summed RSS (MiB) at its end. */
export async function sampleCpuRss(pids: number[], windowMs: number): Promise<{ cpuPercent: number; rssMiB: number }> {
  const total = async () => (await Promise.all(pids.map(procTimes))).reduce((a, b) => a + b, 0);
  const cpu0 = await total();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const cpu1 = await total();
  const elapsedS = (performance.now() - t0) / 1000;
  const rss = (await Promise.all(pids.map(rssKiB))).reduce((a, b) => a + b, 0);
  return {
    cpuPercent: Math.round(((cpu1 - cpu0) / elapsedS) * 1000) / 10,
    rssMiB: Math.round((rss / 1024) * 10) / 10,
  };
}

/** The 1-minute load average, printed next to every figure (the machine is shared). */
export async function load1(): Promise<number> {
  return Number((await readFile('/proc/loadavg', 'utf8')).split(' ')[0]);
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};

/** One CPU-bound process in the root namespace (the "other core busy" condition); stop() ends it by pid. */
export function busyCore(): { stop: () => void } {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return { stop: () => child.kill('SIGKILL') };
}
