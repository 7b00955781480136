import { siblingOf } from '../../src/supervisor/supervise-command.js';
import { monotonicMs } from '../../src/util/clock.js';
import { isAlive, livePidFromFile, signal, terminate, waitExit } from '../adapters/proc.js';
import { builtInAdapter } from '../adapters/registry.js';
import { vrrpdCliPath, vrrpdFiles } from '../adapters/vrrpd.js';
import { defineTopology, Lab, waitFor } from '../lab/index.js';
import { type Capture, startBridgeCaptures } from '../observers/capture.js';
import { type AdvertEvent, packetEvents } from '../observers/packet-events.js';
import { rfcBounds } from '../scenario/bounds.js';

/**
 * SIGKILL of the Master's VRRP process on a two-router link (VRRPv3, 0.2 s) and what the Backup does next,
 * measured from the capture. vrrpd runs under its supervisor (`--supervise`): the worker is killed, the
 * supervisor sends the priority-0 advert and removes the VIP, so the Backup takes over after Skew_Time,
 * measured from that advert. keepalived (every process killed) sends nothing: the Backup waits
 * Master_Down_Interval, measured from the dead Master's last advert, and the VIP stays on the dead node.
 */
export type CrashImpl = 'vrrpd' | 'keepalived';

export interface CrashFailoverResult {
  impl: CrashImpl;
  /** Priority-0 advert seen after the kill (vrrpd's supervisor sends one). */
  priorityZeroSeen: boolean;
  /** Backup's first advert − (priority-0 advert, else the dead Master's last advert), ms. */
  failoverMs: number;
  /** The RFC bound that applies: Skew_Time after a priority-0 advert, else Master_Down_Interval. */
  boundMs: number;
  boundName: 'Skew_Time' | 'Master_Down_Interval';
  /** The VIP was still configured on the killed node once the Backup had taken over. */
  vipLeftOnKilledNode: boolean;
  /** vrrpd with restart: a new worker came up and took the VIP back (preempt). */
  restarted?: boolean;
}

const VIP = '10.96.0.254';
const PRIORITY = { r1: 150, r2: 100 };
const INTERVAL_S = 0.2;

function topology() {
  const router = (n: 1 | 2) => ({
    role: 'router' as const,
    links: [{ switch: 'sw', address: `10.96.0.1${n}/24` }],
    vrrp: [
      {
        vrid: 61,
        priority: PRIORITY[`r${n}`],
        version: 3 as const,
        advertIntervalS: INTERVAL_S,
        vips: [`${VIP}/24`],
      },
    ],
  });
  return defineTopology({ name: 'crash-failover', switches: { sw: {} }, hosts: { r1: router(1), r2: router(2) } });
}

export async function measureCrashFailover(
  impl: CrashImpl,
  o: { restart?: boolean } = {},
): Promise<CrashFailoverResult> {
  const lab = await Lab.build(topology());
  const adapter = builtInAdapter(impl);
  const [r1, r2] = [lab.host('r1'), lab.host('r2')];
  const [h1, h2] = [lab.adapterHost('r1'), lab.adapterHost('r2')];
  let captures: Capture[] = [];
  let supervisorPid: number | undefined;
  try {
    await adapter.render(h1);
    await adapter.render(h2);
    captures = await startBridgeCaptures({
      netns: lab.switchNetns,
      bridges: Object.values(lab.plan.bridges),
      dir: lab.paths.captures,
      runId: lab.runId,
      filter: ['vrrp'],
    });
    await adapter.start(h2);
    if (impl === 'vrrpd') {
      const f = vrrpdFiles(h1);
      const args = ['--supervise', ...(o.restart === false ? ['--no-restart'] : [])];
      supervisorPid = await r1.spawn(
        process.execPath,
        [
          vrrpdCliPath(),
          ...args,
          '-f',
          f.conf,
          '-n',
          '--log-format',
          'json',
          '-p',
          f.pid,
          '--control-socket',
          f.socket,
        ],
        { logFile: f.log },
      );
    } else await adapter.start(h1);
    const b2 = rfcBounds({ priority: PRIORITY.r2, version: 3, advertIntervalS: INTERVAL_S });
    const holds = async (h: typeof r1) => h.hasLocalAddress(VIP);
    const settleFrom = monotonicMs();
    await waitFor(
      async () => (await holds(r1)) && !(await holds(r2)) && monotonicMs() - settleFrom > b2.masterDownMs * 2,
      {
        timeoutMs: 20_000,
        description: 'r1 alone holding the VIP, r2 past its Master_Down_Interval',
      },
    );

    const killedMs = monotonicMs();
    if (impl === 'vrrpd') {
      const worker = await livePidFromFile(siblingOf(vrrpdFiles(h1).pid, '-worker.pid'));
      if (worker === undefined) throw new Error('no vrrpd worker pid file on r1');
      signal(worker, 'SIGKILL');
    } else await adapter.kill(h1);
    await waitFor(() => holds(r2), { timeoutMs: 10_000, description: 'r2 holding the VIP after the kill' });
    const vipLeftOnKilledNode = await holds(r1);
    let restarted: boolean | undefined;
    if (impl === 'vrrpd' && o.restart !== false) {
      restarted = await waitFor(async () => (await holds(r1)) && !(await holds(r2)), {
        timeoutMs: 15_000,
        description: 'the restarted worker on r1 taking the VIP back',
      })
        .then(() => true)
        .catch(() => false);
    }
    for (const c of captures) await c.stop();
    const adverts = (await Promise.all(captures.map(async (c) => packetEvents(await c.read(), { clock: c.clock }))))
      .flat()
      .filter((e): e is AdvertEvent => e.kind === 'advert')
      .sort((a, b) => a.tMs - b.tMs);
    const from1 = adverts.filter((a) => a.src === r1.address);
    const priorityZero = from1.find((a) => a.priority === 0 && a.tMs >= killedMs - 5);
    const lastLive = from1.filter((a) => a.priority > 0 && a.tMs < killedMs + 5).at(-1);
    const takeover = adverts.find((a) => a.src === r2.address && a.priority > 0 && a.tMs >= killedMs - 5);
    const reference = priorityZero ?? lastLive;
    if (!takeover || !reference) throw new Error(`${impl}: no takeover advert or no reference advert in the capture`);
    return {
      impl,
      priorityZeroSeen: priorityZero !== undefined,
      failoverMs: takeover.tMs - reference.tMs,
      boundMs: priorityZero ? b2.skewMs : b2.masterDownMs,
      boundName: priorityZero ? 'Skew_Time' : 'Master_Down_Interval',
      vipLeftOnKilledNode,
      ...(restarted === undefined ? {} : { restarted }),
    };
  } finally {
    for (const c of captures) await c.stop().catch(() => undefined);
    if (supervisorPid !== undefined && isAlive(supervisorPid)) {
      terminate(supervisorPid);
      await waitExit(supervisorPid, 10_000, 'vrrpd supervisor').catch(() => undefined);
    }
    if (impl === 'keepalived') await adapter.stop(h1).catch(() => undefined);
    await adapter.stop(h2).catch(() => undefined);
    await lab.destroy();
  }
}
