import { type BuiltInImpl, builtInAdapter } from '../../harness/adapters/registry.js';
import { defineTopology, Lab, waitFor } from '../../harness/lab/index.js';
import { captureAdverts } from './capture.js';
import { busyCore, daemonPids, load1, sampleCpuRss } from './proc-sample.js';

/**
 * Two nodes at the protocol's edge (VRRPv3, adverts every 1 cs): r1 (150) Master, r2 (100) Backup. Over the
 * window: the Master's CPU share, and spurious transitions — every episode in which the Backup took over
 * (it sends adverts only as Master; adverts more than 10 intervals apart start a new episode).
 * `busy`: one CPU-bound process in the root namespace for the whole window (the other core busy).
 */
export interface TwoNodeResult {
  impl: BuiltInImpl;
  windowS: number;
  busy: boolean;
  masterCpuPercent: number;
  spuriousEpisodes: number;
  backupAdverts: number;
  load: number;
}

const INTERVAL_MS = 10;

export async function benchTwoNodes(impl: BuiltInImpl, windowS: number, busy: boolean): Promise<TwoNodeResult> {
  const router = (n: number, priority: number) => ({
    role: 'router' as const,
    links: [{ switch: 'sw', address: `10.99.0.1${n}/24` }],
    vrrp: [{ vrid: 51, priority, version: 3 as const, advertIntervalS: 0.01, vips: ['10.99.0.254/24'] }],
  });
  const lab = await Lab.build(
    defineTopology({ name: 'edge', switches: { sw: {} }, hosts: { r1: router(1, 150), r2: router(2, 100) } }),
  );
  let busyProc: { stop: () => void } | undefined;
  try {
    await lab.startImplementation(builtInAdapter(impl));
    const r1 = lab.host('r1');
    await waitFor(() => r1.hasLocalAddress('10.99.0.254'), {
      timeoutMs: 30_000,
      intervalMs: 50,
      description: 'r1 is Master',
    });
    // Settled: r2 has heard r1 for a while (no adverts from r2 for 50 intervals) before the window opens.
    const settle = await captureAdverts(r1.netns, 'eth0', 'ip proto 112 and src host 10.99.0.12');
    const settleFrom = performance.now();
    await waitFor(
      async () => {
        const last = settle.adverts.at(-1);
        return (
          performance.now() - settleFrom > 1_000 &&
          (!last || performance.timeOrigin + performance.now() - last.atMs > 50 * INTERVAL_MS)
        );
      },
      { timeoutMs: 30_000, intervalMs: 100, description: 'r2 settled as Backup' },
    );
    settle.stop();
    const pids = await daemonPids(lab, 'r1', impl);
    if (pids.length === 0) throw new Error(`no ${impl} process found on r1`);
    if (busy) busyProc = busyCore();
    const capture = await captureAdverts(r1.netns, 'eth0', 'ip proto 112 and src host 10.99.0.12');
    const { cpuPercent } = await sampleCpuRss(pids, windowS * 1000);
    const load = await load1();
    capture.stop();
    let episodes = 0;
    let lastAt = Number.NEGATIVE_INFINITY;
    for (const a of capture.adverts) {
      if (a.atMs - lastAt > 10 * INTERVAL_MS) episodes++;
      lastAt = a.atMs;
    }
    return {
      impl,
      windowS,
      busy,
      masterCpuPercent: cpuPercent,
      spuriousEpisodes: episodes,
      backupAdverts: capture.adverts.length,
      load,
    };
  } finally {
    busyProc?.stop();
    await lab.stopImplementation().catch(() => undefined);
    await lab.destroy();
  }
}
