import { resolveAdapter } from '../../harness/adapters/registry.js';
import type { ImplName } from '../../harness/adapters/types.js';
import { defineTopology, Lab, waitFor } from '../../harness/lab/index.js';
import { daemonPids, sampleCpuRss } from './proc-sample.js';

/**
 * One daemon with 255 instances (VRIDs 1..255) at a 0.1 s advert interval, next to a peer with the same
 * instances at a lower priority: resident memory and CPU share of the Master's processes over a window, and
 * the CPU share of the peer's (all Backup) over the same window.
 */
export interface ScaleResult {
  impl: ImplName;
  instances: number;
  convergedMs: number;
  rssMiB: number;
  cpuPercent: number;
  /** The peer's CPU share over the same window: 255 Backups hearing 2,550 adverts/s. */
  backupCpuPercent: number;
  windowMs: number;
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
    const backupPids = await daemonPids(lab, 'r2', impl);
    if (pids.length === 0 || backupPids.length === 0) throw new Error(`no ${impl} process found on r1 or r2`);
    const [{ cpuPercent, rssMiB }, backup] = await Promise.all([
      sampleCpuRss(pids, windowMs),
      sampleCpuRss(backupPids, windowMs),
    ]);
    return {
      impl,
      instances,
      convergedMs: Math.round(convergedMs),
      rssMiB,
      cpuPercent,
      backupCpuPercent: backup.cpuPercent,
      windowMs,
    };
  } finally {
    await lab.stopImplementation().catch(() => undefined);
    await lab.destroy();
  }
}
