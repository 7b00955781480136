import { masterDownIntervalUs } from '../../../src/protocol/index.js';
import type { BuiltInImpl } from '../../adapters/registry.js';
import { aptInstallLine, missingPrerequisites } from '../../cli/prerequisites.js';
import { type DutLab, type InstanceSpec, openOrSkip } from '../dut-lab.js';
import { EvidenceLog } from '../evidence.js';
import { judgeBothMaster, roleProblems } from '../oracles/interop.js';
import type { GroupContext } from '../runner.js';
import type { Verdict } from '../types.js';

/**
 * I1–I2: the implementation under test next to a reference implementation (keepalived 2.2.7, FRR 8.4.4) pinned
 * on a peer host, one lab per reference. Per family, two VRIDs with opposite priorities (the DUT higher on one,
 * the peer higher on the other), so stopping and restarting each side shows election, failover and preemption
 * in both directions; who is Master is read from the adverts on the wire.
 */

const SLACK_MS = 500;

interface Pair {
  variant: string;
  version: 2 | 3;
  family: 4 | 6;
  /** VRID where the DUT has priority 100 (peer 50), and the one where the peer has 100 (DUT 50). */
  dutHigh: number;
  peerHigh: number;
}

const PAIRS: Pair[] = [
  { variant: 'v3-ipv4', version: 3, family: 4, dutHigh: 31, peerHigh: 32 },
  { variant: 'v2-ipv4', version: 2, family: 4, dutHigh: 33, peerHigh: 34 },
  { variant: 'v3-ipv6', version: 3, family: 6, dutHigh: 35, peerHigh: 36 },
];
const I2_VRID = 39;

/** What each reference implementation needs on this machine. */
const REFERENCE_TOOLS: Record<'keepalived' | 'frr', string[]> = {
  keepalived: ['keepalived'],
  frr: ['/usr/lib/frr/vrrpd', '/usr/lib/frr/zebra'],
};

const intervalCs = (p: Pair) => (p.version === 3 ? 10 : 100);
const mdiMs = (p: Pair, prio: number) => masterDownIntervalUs(prio, intervalCs(p), p.version) / 1000;

function vipOf(net: number, vrid: number, family: 4 | 6): string {
  return family === 4 ? `10.${net}.0.${200 + vrid}/24` : `fd${net}::${200 + vrid}/64`;
}

function inst(net: number, p: Pair, vrid: number, prio: number): InstanceSpec {
  return {
    key: `${p.variant}-${vrid}`,
    needs: [],
    settings: {
      vrid,
      version: p.version,
      priority: prio,
      advertIntervalS: intervalCs(p) / 100,
      vips: [vipOf(net, vrid, p.family)],
      garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 0 },
    },
  };
}

export async function runInterop(g: GroupContext): Promise<void> {
  for (const [peer, net] of [
    ['keepalived', 68],
    ['frr', 70],
  ] as const) {
    const pairs = PAIRS.filter((p) => g.wants(`I1/${peer}-${p.variant}`));
    const i2 = peer === 'keepalived' && g.wants('I2/keepalived-v2-v3');
    if (pairs.length === 0 && !i2) continue;
    const missing = await missingPrerequisites(REFERENCE_TOOLS[peer]);
    if (missing.length > 0) {
      const why = `reference ${peer} is not installed (${aptInstallLine(missing)})`;
      for (const p of pairs) g.record(`I1/${peer}-${p.variant}`, { skip: why });
      if (i2) g.record('I2/keepalived-v2-v3', { skip: why });
      continue;
    }
    await runPeer(g, peer, net, pairs, i2);
  }
}

async function runPeer(g: GroupContext, peer: BuiltInImpl, net: number, pairs: Pair[], i2: boolean): Promise<void> {
  const dutInst = pairs.flatMap((p) => [inst(net, p, p.dutHigh, 100), inst(net, p, p.peerHigh, 50)]);
  const peerInst = pairs.flatMap((p) => [inst(net, p, p.dutHigh, 50), inst(net, p, p.peerHigh, 100)]);
  const i2Pair: Pair = { variant: 'i2', version: 3, family: 4, dutHigh: I2_VRID, peerHigh: I2_VRID };
  if (i2) {
    dutInst.push(inst(net, i2Pair, I2_VRID, 100));
    peerInst.push(inst(net, { ...i2Pair, version: 2 }, I2_VRID, 200));
  }
  const ids = [...pairs.map((p) => `I1/${peer}-${p.variant}`), ...(i2 ? ['I2/keepalived-v2-v3'] : [])];
  const keyOf = (id: string) => {
    const p = pairs.find((x) => id.endsWith(x.variant));
    return p ? `${p.variant}-${p.dutHigh}` : `i2-${I2_VRID}`;
  };
  const spec = {
    name: `io${peer.slice(0, 3)}`,
    net,
    hosts: { dut: { n: 10, instances: dutInst }, peer: { n: 11, impl: peer, instances: peerInst } },
  };
  const lab = await openOrSkip(g, spec, ids, keyOf);
  if (!lab) return;
  try {
    for (const id of ids) g.begin(id);
    const run = pairs.filter((p) => lab.has(`${p.variant}-${p.dutHigh}`));
    const logs = new Map(run.map((p) => [p.variant, { log: new EvidenceLog(lab.wall()), problems: [] as string[] }]));
    const t0 = lab.wall();
    // Events are timed from when the implementation is up (FRR takes seconds to start zebra and vrrpd).
    const upAt = async (host: 'dut' | 'peer') => (await lab.start(host))?.upMs ?? lab.wall();
    const peerUp = await upAt('peer');
    let at = await upAt('dut');
    await expect(lab, run, logs, 'election after start-up', { dutHigh: 'dut', peerHigh: 'peer' }, at);
    if (i2 && lab.has(`i2-${I2_VRID}`)) g.record('I2/keepalived-v2-v3', await bothMaster(lab, peerUp, t0));
    at = await lab.stop('dut');
    await expect(lab, run, logs, 'DUT stopped: failover to the peer', { dutHigh: 'peer', peerHigh: 'peer' }, at);
    at = await upAt('dut');
    await expect(lab, run, logs, 'DUT back: it preempts', { dutHigh: 'dut', peerHigh: 'peer' }, at);
    at = await lab.stop('peer');
    await expect(lab, run, logs, 'peer stopped: failover to the DUT', { dutHigh: 'dut', peerHigh: 'dut' }, at);
    at = await upAt('peer');
    await expect(lab, run, logs, 'peer back: it preempts', { dutHigh: 'dut', peerHigh: 'peer' }, at);
    for (const p of run) {
      const l = logs.get(p.variant);
      if (!l) continue;
      const ok = l.problems.length === 0;
      g.record(
        `I1/${peer}-${p.variant}`,
        l.log.verdict(ok, ok ? `election, failover and preemption both ways against ${peer}` : l.problems.join('; ')),
      );
    }
  } finally {
    await lab.close();
  }
}

type Who = 'dut' | 'peer';

/**
 * After `event`, per pair and VRID: the expected Master advertises (twice, within MDI + slack of the event) and
 * the other side is silent once it has (the last three intervals of the check).
 */
async function expect(
  lab: DutLab,
  pairs: Pair[],
  logs: Map<string, { log: EvidenceLog; problems: string[] }>,
  event: string,
  masters: { dutHigh: Who; peerHigh: Who },
  atMs: number,
): Promise<void> {
  await Promise.all(
    pairs.flatMap((p) =>
      (['dutHigh', 'peerHigh'] as const).map((k) =>
        lab.waitAdverts(masters[k], p[k], p.family, atMs, 2, mdiMs(p, 50) + 3 * intervalCs(p) * 10 + 5000),
      ),
    ),
  );
  // Three more intervals for the other side to fall silent after a preemption.
  const settle = Math.max(...pairs.map((p) => 3 * intervalCs(p) * 10));
  const end = lab.wall() + settle;
  await lab.waitAdverts('dut', 1, 4, end - 1, 1, settle);
  const frames = await lab.frames();
  for (const p of pairs) {
    const l = logs.get(p.variant);
    if (!l) continue;
    l.log.event(atMs, 'harness', event);
    for (const k of ['dutHigh', 'peerHigh'] as const) {
      const master = masters[k];
      const extra = event.includes('back') || event.includes('start') ? 3000 : 0;
      l.problems.push(
        ...roleProblems(
          {
            frames,
            master: lab.whoOf(master),
            other: lab.whoOf(master === 'dut' ? 'peer' : 'dut'),
            vrid: p[k],
            family: p.family,
            atMs,
            endMs: end,
            quietFromMs: end - 3 * intervalCs(p) * 10,
            boundMs: mdiMs(p, 50) + SLACK_MS + extra,
          },
          l.log,
          `${event}, VRID ${p[k]}`,
        ),
      );
    }
  }
}

/** I2: a v3 DUT (100) and a v2 peer (200) on one VRID do not understand each other: both stay Master. */
async function bothMaster(lab: DutLab, from: number, t0: number): Promise<Verdict> {
  await lab.waitAdverts('peer', I2_VRID, 4, from, 1, 8000);
  await lab.waitAdverts('dut', I2_VRID, 4, lab.wall(), 3, 2000);
  const frames = await lab.frames();
  return judgeBothMaster({
    frames,
    dut: lab.whoOf('dut'),
    peer: lab.whoOf('peer'),
    vrid: I2_VRID,
    fromMs: from,
    toMs: frames.at(-1)?.wallMs ?? lab.wall(),
    dutIntervalMs: 100,
    t0WallMs: t0,
  });
}
