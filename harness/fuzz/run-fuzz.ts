import { readFile } from 'node:fs/promises';
import { queryControlSocket } from '../../src/runtime/control-server.js';
import type { DaemonStatus } from '../../src/runtime/status.js';
import { monotonicMs } from '../../src/util/clock.js';
import { resolveAdapter } from '../adapters/registry.js';
import type { ImplName, ReportedInstanceState } from '../adapters/types.js';
import { vrrpdFiles } from '../adapters/vrrpd.js';
import { defineTopology, Lab, waitFor } from '../lab/index.js';
import { linkFacts, vipHolders } from '../reliability/vip-holders.js';
import { rfcBounds } from '../scenario/bounds.js';
import { type FuzzCase, type FuzzTarget, fuzzCase } from './generate.js';
import { injectFrames, rawVrrpSocketDrops } from './inject.js';
import { seededRandom } from './random.js';

/**
 * `vrrp-lab fuzz`: two routers (r1 Master at 200, r2 Backup at 100, VRRPv3 1 s) and a tester on one switch;
 * the tester injects N fuzzed frames (generate.ts) at a rate. Pass: both implementations still run and answer,
 * r1 is Master and r2 Backup (no target-VRID packet outranks r1, so that is what the valid packets dictate),
 * exactly one VIP holder once the routers had a Master_Down_Interval after the last packet; for vrrpd, every
 * packet that reached a router's VRRP socket is accounted for: adverts received + packets dropped (status
 * `dropped`) + kernel socket drops = fuzzed packets that reach an IPv4 raw socket + the peer's adverts.
 */
export interface FuzzOptions {
  impl: ImplName;
  packets: number;
  ratePps: number;
  seed: number;
  runsDir?: string;
  progress?: (msg: string) => void;
}

export interface Reconciliation {
  router: string;
  expected: number;
  accounted: number;
  advertsReceived: number;
  dropped: number;
  kernelDrops: number;
}

export interface FuzzResult {
  impl: ImplName;
  seed: number;
  sent: number;
  byKind: Record<FuzzCase['kind'], number>;
  /** Fuzzed packets that reach each router's raw IPv4 VRRP socket. */
  reached: Record<string, number>;
  ms: number;
  ratePps: number;
  states: Record<string, string>;
  holders: string[];
  reconciliation?: Reconciliation[];
  failures: string[];
}

const VIP = '10.95.0.254';
const VRID = 51;
const PRIO = { r1: 200, r2: 100 };

function topology() {
  const router = (n: 1 | 2) => ({
    role: 'router' as const,
    links: [{ switch: 'sw', address: `10.95.0.1${n}/24` }],
    vrrp: [{ vrid: VRID, priority: PRIO[`r${n}`], version: 3 as const, advertIntervalS: 1, vips: [`${VIP}/24`] }],
  });
  return defineTopology({
    name: 'fuzz',
    switches: { sw: {} },
    hosts: {
      r1: router(1),
      r2: router(2),
      t: { role: 'client' as const, links: [{ switch: 'sw', address: '10.95.0.50/24' }] },
    },
  });
}

interface Counters {
  received: number;
  sent: number;
  dropped: number;
  kernel: number;
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzResult> {
  const say = o.progress ?? (() => {});
  const adapter = await resolveAdapter(o.impl);
  const lab = await Lab.build(topology(), o.runsDir === undefined ? {} : { runsDir: o.runsDir });
  const routers = ['r1', 'r2'];
  const failures: string[] = [];
  try {
    for (const r of routers) await adapter.render(lab.adapterHost(r));
    for (const r of routers) await adapter.start(lab.adapterHost(r));
    const mdiMs = rfcBounds({ priority: PRIO.r2, version: 3, advertIntervalS: 1 }).masterDownMs;
    const holders = () => vipHolders(lab, adapter, routers, VIP);
    const started = monotonicMs();
    await waitFor(async () => (await holders()).join() === 'r1' && monotonicMs() - started > mdiMs, {
      timeoutMs: 30_000,
      description: `r1 alone holding ${VIP}`,
    });
    const [r1, t] = [await linkFacts(lab, 'r1'), await linkFacts(lab, 't')];
    const target: FuzzTarget = {
      vrid: VRID,
      masterPriority: PRIO.r1,
      vips: [VIP],
      routerIp: r1.ipv4[0] as string,
      routerMac: r1.mac,
      testerIp: t.ipv4[0] as string,
      testerMac: t.mac,
      // Only the IPv6 frames carry it, and nothing must answer them: any link-local will do.
      testerLinkLocal: 'fe80::50',
      spoofSources: ['10.95.0.1', '10.95.0.99', '10.95.0.200'],
    };
    const before = o.impl === 'vrrpd' ? await counters(lab) : undefined;
    const rand = seededRandom(o.seed);
    const byKind: FuzzResult['byKind'] = { valid: 0, mutated: 0, carp: 0, ipv6: 0, random: 0 };
    const reached: Record<string, number> = { r1: 0, r2: 0 };
    let lastReport = 0;
    say(`${o.impl}: injecting ${o.packets} packets at ${o.ratePps}/s (seed ${o.seed})`);
    const sent = await injectFrames({
      netns: lab.host('t').netns,
      ifname: lab.host('t').ifname,
      count: o.packets,
      ratePps: o.ratePps,
      next: () => {
        const c = fuzzCase(rand, target);
        byKind[c.kind]++;
        if (c.reaches !== 'none') reached.r1 = (reached.r1 ?? 0) + 1;
        if (c.reaches === 'group') reached.r2 = (reached.r2 ?? 0) + 1;
        return c.frame;
      },
      onTick: (n) => {
        if (n - lastReport >= 100_000) {
          lastReport = n;
          say(`${o.impl}: ${n} sent`);
        }
      },
    });
    const lastPacket = monotonicMs();
    // Settled: a Master_Down_Interval after the last packet (a priority-0 advert may have sent r2 to Master
    // for a moment, RFC 5798 §6.4.2), then exactly r1.
    const end = await waitFor(async () => (monotonicMs() - lastPacket > mdiMs + 1000 ? await holders() : undefined), {
      timeoutMs: 30_000,
      description: 'r1 alone holding the VIP after the fuzz',
      until: (h) => h?.join() === 'r1',
    }).catch(() => undefined);
    const finalHolders = end ?? (await holders());
    if (finalHolders.join() !== 'r1')
      failures.push(`VIP holders at the end: ${finalHolders.join(', ') || 'none'}, expected r1`);
    const states: Record<string, string> = {};
    for (const r of routers) {
      const s: ReportedInstanceState[] = await adapter.state(lab.adapterHost(r)).catch((e: Error) => {
        failures.push(`${r}: ${o.impl} does not answer: ${e.message}`);
        return [];
      });
      states[r] = s[0]?.state ?? 'UNKNOWN';
    }
    if (states.r1 !== 'MASTER') failures.push(`r1 is ${states.r1}, expected MASTER`);
    if (states.r2 !== 'BACKUP') failures.push(`r2 is ${states.r2}, expected BACKUP`);
    const result: FuzzResult = {
      impl: o.impl,
      seed: o.seed,
      sent: sent.sent,
      byKind,
      reached,
      ms: Math.round(sent.ms),
      ratePps: Math.round((sent.sent / sent.ms) * 1000),
      states,
      holders: finalHolders,
      failures,
    };
    if (before) {
      const after = await counters(lab);
      result.reconciliation = routers.map((r) => {
        const peer = r === 'r1' ? 'r2' : 'r1';
        const d = (k: keyof Counters, h = r) => (after[h]?.[k] ?? 0) - (before[h]?.[k] ?? 0);
        const rec: Reconciliation = {
          router: r,
          expected: (reached[r] ?? 0) + d('sent', peer),
          accounted: d('received') + d('dropped') + d('kernel'),
          advertsReceived: d('received'),
          dropped: d('dropped'),
          kernelDrops: d('kernel'),
        };
        // ±1: an advert of the peer in flight while the two status snapshots were taken.
        if (Math.abs(rec.expected - rec.accounted) > 1)
          failures.push(
            `${r}: ${rec.accounted} packets accounted for (received + dropped + kernel), expected ${rec.expected}`,
          );
        return rec;
      });
    }
    return result;
  } finally {
    for (const r of routers) await adapter.stop(lab.adapterHost(r)).catch(() => undefined);
    await lab.destroy();
  }
}

async function counters(lab: Lab): Promise<Record<string, Counters>> {
  const out: Record<string, Counters> = {};
  for (const r of ['r1', 'r2']) {
    const s = (await queryControlSocket(vrrpdFiles(lab.adapterHost(r)).socket, 'status')) as DaemonStatus;
    const i = s.instances[0];
    out[r] = {
      received: i?.counters.advertsReceived ?? 0,
      sent: i?.counters.advertsSent ?? 0,
      dropped: (i?.counters.dropped ?? 0) + s.dropped,
      kernel: rawVrrpSocketDrops(await readFile(`/proc/${lab.host(r).anchorPid}/net/raw`, 'utf8')),
    };
  }
  return out;
}
