import { type AdvertInput, masterDownIntervalUs, skewTimeUs } from '../../../src/protocol/index.js';
import { type DutLab, type InstanceSpec, openOrSkip, supportPlan, v3Instance } from '../dut-lab.js';
import { advertsOf, type Who } from '../evidence.js';
import { judgeAnnouncedPromptly, judgeImmediateAdvert, judgeShutdownAdvert } from '../oracles/announce.js';
import { judgeKeepsAdvertising, judgeSilent, judgeTakeover, judgeYields } from '../oracles/election.js';
import { failed, type GroupContext } from '../runner.js';

/**
 * S1–S16 in one lab and one script: the tester plays the other routers of each VRID (periodic adverts whose
 * priority it changes on cue), two DUT hosts run the implementation (a second one for the three-router and owner
 * cases), and every verdict is read from the capture. Timers are the RFC formulas of src/protocol.
 */

const NET = 65;
const SLACK_MS = 250;
const DUT = 10;
const DUT2 = 11;
const ip = (n: number) => `10.${NET}.0.${n}`;
const ip6 = (n: number) => `fd${NET}::${n}`;

interface Inst {
  key: string;
  host: 'dut' | 'dut2';
  vrid: number;
  family: 4 | 6;
  intervalCs: number;
  priority: number;
  vip: string;
  preempt?: boolean;
  needs?: InstanceSpec['needs'];
}

const I: Record<string, Inst> = {
  fast: { key: 'fast', host: 'dut', vrid: 10, family: 4, intervalCs: 10, priority: 100, vip: ip(254) },
  slow: { key: 'slow', host: 'dut', vrid: 11, family: 4, intervalCs: 100, priority: 100, vip: ip(253) },
  silent6: { key: 'silent6', host: 'dut', vrid: 12, family: 6, intervalCs: 10, priority: 100, vip: ip6(254) },
  nopreempt: {
    key: 'nopreempt',
    host: 'dut',
    vrid: 13,
    family: 4,
    intervalCs: 10,
    priority: 100,
    vip: ip(252),
    preempt: false,
    needs: ['nopreempt'],
  },
  three: { key: 'three', host: 'dut', vrid: 14, family: 4, intervalCs: 100, priority: 100, vip: ip(251) },
  three2: { key: 'three2', host: 'dut2', vrid: 14, family: 4, intervalCs: 100, priority: 50, vip: ip(251) },
  owner: {
    key: 'owner',
    host: 'dut2',
    vrid: 15,
    family: 4,
    intervalCs: 100,
    priority: 255,
    vip: ip(249),
    needs: ['owner'],
  },
  dual4: { key: 'dual4', host: 'dut', vrid: 16, family: 4, intervalCs: 10, priority: 100, vip: ip(250) },
  dual6: { key: 'dual6', host: 'dut', vrid: 16, family: 6, intervalCs: 10, priority: 100, vip: ip6(250) },
  silent4: { key: 'silent4', host: 'dut', vrid: 17, family: 4, intervalCs: 10, priority: 100, vip: ip(248) },
};

/** Which instances each variant needs. */
const USES: Record<string, string[]> = {
  'S1/v3-ipv4': ['slow'],
  'S2/v3-ipv4': ['owner'],
  'S3/v3-ipv4': ['fast'],
  'S4/v3-ipv4': ['silent4'],
  'S4/v3-ipv6': ['silent6'],
  'S5/v3-ipv4': ['slow'],
  'S6/v3-ipv4': ['fast'],
  'S7/v3-ipv4': ['slow'],
  'S8/v3-ipv4': ['fast'],
  'S9/v3-ipv4': ['fast'],
  'S10/v3-ipv4': ['slow'],
  'S11/v3-ipv4': ['fast'],
  'S12/v3-ipv4': ['nopreempt'],
  'S13/v3-ipv4': ['three', 'three2'],
  'S14/v3-ipv4': ['owner'],
  'S15/v3-ipv4': ['fast'],
  'S16/v3-dual': ['dual4', 'dual6'],
};

/** The longest time between consecutive instants of `times` (sorted) within [fromMs, toMs], edges included. */
export function longestGapMs(times: readonly number[], fromMs: number, toMs: number): number {
  let prev = fromMs;
  let longest = 0;
  for (const t of times) {
    if (t <= fromMs) continue;
    if (t > toMs) break;
    longest = Math.max(longest, t - prev);
    prev = t;
  }
  return Math.max(longest, toMs - prev);
}

const mdi = (i: Inst, cs = i.intervalCs) => masterDownIntervalUs(i.priority, cs, 3) / 1000;

function spec(i: Inst): InstanceSpec {
  return v3Instance(i, i.preempt === false ? { preempt: false } : {});
}

/** The tester playing another router of one VRID: periodic adverts whose priority/interval/source change on cue. */
class Peer {
  priority: number;
  intervalCs: number;
  private stopFn: (() => void) | undefined;

  constructor(
    private readonly lab: DutLab,
    readonly inst: Inst,
    priority: number,
  ) {
    this.priority = priority;
    this.intervalCs = inst.intervalCs;
  }

  frame(over: Partial<AdvertInput> = {}, src?: string): Buffer {
    const t = this.lab.tester;
    const a: AdvertInput = {
      version: 3,
      vrid: this.inst.vrid,
      priority: this.priority,
      advertIntervalCs: this.intervalCs,
      addresses: [this.inst.vip],
      ...over,
    };
    if (this.inst.family === 6) return t.frame6(t.advert6(a));
    return t.frame4(t.advert4(a, src ? { src } : {}), src ? { src } : {});
  }

  start(): this {
    this.stopFn = this.lab.tester.every(this.intervalCs * 10, () => this.frame());
    return this;
  }

  stop(): number {
    this.stopFn?.();
    this.stopFn = undefined;
    return this.lab.wall();
  }
}

export async function runState(g: GroupContext): Promise<void> {
  const ids = Object.keys(USES).filter((id) => g.wants(id));
  if (ids.length === 0) return;
  const keys = new Set(ids.flatMap((id) => USES[id] ?? []));
  const insts = Object.values(I).filter((i) => keys.has(i.key));
  const labSpec = {
    name: 'st',
    net: NET,
    hosts: {
      dut: { n: DUT, instances: insts.filter((i) => i.host === 'dut').map(spec) },
      dut2: { n: DUT2, instances: insts.filter((i) => i.host === 'dut2').map(spec) },
    },
  };
  // A variant runs only when every instance it uses does (S13 needs both routers).
  const { skipped } = supportPlan(labSpec, g.ctx);
  for (const id of ids) {
    const why = (USES[id] ?? []).map((k) => skipped.get(k)).find((x) => x !== undefined);
    if (why) g.record(id, { skip: why });
  }
  const lab = await openOrSkip(g, labSpec, ids, (id) => USES[id]?.[0] ?? '');
  if (!lab) return;
  try {
    await script(
      g,
      lab,
      ids.filter((id) => (USES[id] ?? []).every((k) => !skipped.has(k))),
    );
  } finally {
    await lab.close();
  }
}

async function script(g: GroupContext, lab: DutLab, ids: string[]): Promise<void> {
  const want = (id: string) => ids.includes(id);
  for (const id of ids) g.begin(id);
  const testerWho: Who = {
    name: 'tester',
    macs: [lab.tester.mac],
    ips: [lab.tester.ipv4, lab.tester.linkLocal, ip(5), ip(20)],
  };
  const has = (k: string) => lab.has(k);
  const watch = (host: 'dut' | 'dut2', i: Inst, t0: number) => ({
    dut: lab.whoOf(host),
    vrid: i.vrid,
    family: i.family,
    t0WallMs: t0,
  });
  /** Capture time of the tester's last advert for `i` (optionally with priority ≥ minPrio) before `beforeMs`. */
  const lastPeerAdvert = async (i: Inst, beforeMs: number, minPrio = 1) =>
    advertsOf(await lab.frames(), testerWho, i.vrid, i.family)
      .filter((a) => a.wallMs <= beforeMs && a.d.advert.priority >= minPrio)
      .at(-1);

  // ---- peers that must exist before the DUTs start ----
  const p10 = has('fast') ? new Peer(lab, I.fast as Inst, 200).start() : undefined;
  const p12 = has('silent6') ? new Peer(lab, I.silent6 as Inst, 200).start() : undefined;
  const p13 = has('nopreempt') ? new Peer(lab, I.nopreempt as Inst, 50).start() : undefined;
  const p14 = has('three') ? new Peer(lab, I.three as Inst, 200).start() : undefined;
  const p15 = has('owner') ? new Peer(lab, I.owner as Inst, 100).start() : undefined;
  const p16 = has('dual4') ? new Peer(lab, I.dual4 as Inst, 200).start() : undefined;
  const p17 = has('silent4') ? new Peer(lab, I.silent4 as Inst, 200).start() : undefined;
  const peers = [p10, p12, p13, p14, p15, p16, p17];
  try {
    const up = await lab.start('dut');
    const up2 = await lab.start('dut2');
    const t0 = up?.callMs ?? up2?.callMs ?? lab.wall();
    // Phase 1: 1.5 s with higher-priority peers.
    await lab.waitAdverts('dut', 10, 4, lab.wall(), 1, 1500);
    const phase1End = lab.wall();
    if (p10) p10.priority = 100; // Phase 2: equal priority.
    await lab.waitAdverts('dut', 10, 4, lab.wall(), 1, 1000);
    const phase2End = lab.wall();
    if (p10) p10.priority = 50; // Phase 3: lower priority: the DUT (preempt on) takes over after MDI.
    const p14Stop = p14?.stop();
    const p12Stop = p12?.stop();
    const p17Stop = p17?.stop();
    await Promise.all([
      has('fast') ? lab.waitAdverts('dut', 10, 4, phase2End, 2, 3000) : undefined,
      has('silent6') ? lab.waitAdverts('dut', 12, 6, phase2End, 1, 3000) : undefined,
      has('silent4') ? lab.waitAdverts('dut', 17, 4, phase2End, 1, 3000) : undefined,
      has('three') ? lab.waitAdverts('dut', 14, 4, phase2End, 2, 8000) : undefined,
      has('slow') ? lab.waitAdverts('dut', 11, 4, t0, 1, 8000) : undefined,
    ]);
    p10?.stop();
    const p13Stop = p13?.stop();
    p15?.stop();
    const p16Stop = p16?.stop();
    const frames = await lab.frames();

    if (want('S1/v3-ipv4') && up) {
      const s = I.slow as Inst;
      g.record(
        'S1/v3-ipv4',
        judgeTakeover({
          ...watch('dut', s, t0),
          frames,
          fromMs: up.callMs,
          lowMs: mdi(s),
          highMs: up.upMs - up.callMs + mdi(s),
          slackMs: 500,
          what: 'the start of the implementation (no other router)',
        }),
      );
    }
    if (up2 && (want('S2/v3-ipv4') || want('S14/v3-ipv4'))) {
      const o = I.owner as Inst;
      const start = judgeTakeover({
        ...watch('dut2', o, t0),
        frames,
        fromMs: up2.callMs,
        lowMs: 0,
        highMs: up2.upMs - up2.callMs + 200,
        slackMs: SLACK_MS,
        what: 'the start of the owner',
      });
      if (want('S14/v3-ipv4')) {
        start.detail = `${start.detail}; a priority-100 Master was advertising (its MDI would be ${mdi(o).toFixed(0)} ms)`;
        g.record('S14/v3-ipv4', start);
      }
      if (want('S2/v3-ipv4')) {
        const first = advertsOf(frames, lab.whoOf('dut2'), o.vrid, 4).find((a) => a.d.advert.priority > 0);
        const garp = judgeAnnouncedPromptly(frames, o.vip, first?.wallMs, t0);
        g.record('S2/v3-ipv4', start.status === 'pass' ? garp : start);
      }
    }
    if (want('S3/v3-ipv4') && up) {
      const f = I.fast as Inst;
      const hi = judgeSilent({
        ...watch('dut', f, t0),
        frames,
        fromMs: up.upMs,
        toMs: phase1End,
        why: 'peer priority 200',
      });
      const eq = judgeSilent({
        ...watch('dut', f, t0),
        frames,
        fromMs: phase1End,
        toMs: phase2End,
        why: 'peer priority 100 = own',
      });
      g.record('S3/v3-ipv4', hi.status === 'fail' ? hi : { ...eq, detail: `${hi.detail}; ${eq.detail}` });
    }
    if (want('S11/v3-ipv4')) {
      const f = I.fast as Inst;
      const last = await lastPeerAdvert(f, phase2End + 200, 100);
      g.record(
        'S11/v3-ipv4',
        last
          ? judgeTakeover({
              ...watch('dut', f, t0),
              frames,
              fromMs: last.wallMs,
              from: last.frame,
              lowMs: mdi(f) - f.intervalCs * 10,
              highMs: mdi(f),
              slackMs: SLACK_MS,
              what: 'the last peer advert of priority ≥ 100 (then priority 50 kept coming)',
            })
          : failed('no tester advert found'),
      );
    }
    const takeover = async (id: string, i: Inst, stoppedAt: number | undefined) => {
      if (!want(id) || stoppedAt === undefined) return;
      const last = await lastPeerAdvert(i, stoppedAt);
      g.record(
        id,
        last
          ? judgeTakeover({
              ...watch('dut', i, t0),
              frames,
              fromMs: last.wallMs,
              from: last.frame,
              lowMs: mdi(i) - i.intervalCs * 10,
              highMs: mdi(i),
              slackMs: SLACK_MS,
              what: 'the last advert of the Master (then silence)',
            })
          : failed('no tester advert found'),
      );
    };
    await takeover('S4/v3-ipv4', I.silent4 as Inst, p17Stop);
    await takeover('S4/v3-ipv6', I.silent6 as Inst, p12Stop);
    if (want('S13/v3-ipv4') && p14Stop !== undefined) {
      await takeover('S13/v3-ipv4', I.three as Inst, p14Stop);
      const low = judgeSilent({
        ...watch('dut2', I.three2 as Inst, t0),
        frames,
        fromMs: t0,
        toMs: lab.wall(),
        why: 'priority 50 of three',
      });
      if (low.status === 'fail') g.record('S13/v3-ipv4', low);
    }
    if (want('S12/v3-ipv4') && up && p13Stop !== undefined) {
      const i = I.nopreempt as Inst;
      const v = judgeSilent({
        ...watch('dut', i, t0),
        frames,
        fromMs: up.upMs,
        toMs: p13Stop,
        why: 'nopreempt, peer priority 50',
      });
      // The tester's own sender runs in this process: if its adverts stalled longer than Master_Down_Interval
      // before the DUT spoke, the DUT was right to take over and the run proves nothing either way.
      const firstDut = advertsOf(frames, lab.whoOf('dut'), i.vrid, i.family).find((a) => a.wallMs > up.upMs);
      const gap = firstDut
        ? longestGapMs(
            advertsOf(frames, testerWho, i.vrid, i.family).map((a) => a.wallMs),
            up.upMs,
            firstDut.wallMs,
          )
        : 0;
      g.record(
        'S12/v3-ipv4',
        v.status === 'fail' && gap > mdi(i)
          ? {
              skip: `inconclusive: the tester's adverts stalled for ${gap.toFixed(0)} ms (> Master_Down_Interval ${mdi(i).toFixed(0)} ms) before the DUT took over`,
            }
          : v,
      );
    }
    if (want('S16/v3-dual') && up && p16Stop !== undefined) {
      const v4 = judgeSilent({
        ...watch('dut', I.dual4 as Inst, t0),
        frames,
        fromMs: up.upMs,
        toMs: p16Stop,
        why: 'IPv4 VRID 16 Backup under a priority-200 peer',
      });
      const from = up.upMs + 1500;
      const v6 = judgeKeepsAdvertising({
        ...watch('dut', I.dual6 as Inst, t0),
        frames,
        injectedMs: from,
        intervalMs: 100,
        slackMs: SLACK_MS,
        want: 5,
      });
      g.record(
        'S16/v3-dual',
        v4.status === 'fail' ? v4 : { ...v6, detail: `IPv6 VRID 16 Master (${v6.detail}) while ${v4.detail}` },
      );
    }

    // ---- Phase 4: stimuli to a Master ----
    if (has('slow')) await slowMasterCases(g, lab, want, t0, watch);
    if (has('fast')) await fastMasterCases(g, lab, want, t0, watch);
    if (want('S6/v3-ipv4') && up) {
      const f = I.fast as Inst;
      await lab.waitAdverts('dut', f.vrid, 4, lab.wall(), 2, mdi(f, 50) + 3000);
      const stopMs = await lab.stop('dut');
      await lab.waitFrame((fr) => fr.ev.kind === 'vrrp' && fr.ev.decoded?.advert.priority === 0, stopMs, 2000);
      g.record('S6/v3-ipv4', judgeShutdownAdvert({ ...watch('dut', f, t0), frames: await lab.frames(), stopMs }));
    }
  } finally {
    for (const p of peers) p?.stop();
  }
}

type WatchFn = (
  host: 'dut' | 'dut2',
  i: Inst,
  t0: number,
) => { dut: Who; vrid: number; family: 4 | 6; t0WallMs: number };

/** S7, S10, S5 on the 1 s instance: a stimulus half-way between two adverts separates "at once" from "on time". */
async function slowMasterCases(
  g: GroupContext,
  lab: DutLab,
  want: (id: string) => boolean,
  t0: number,
  watch: WatchFn,
) {
  const s = I.slow as Inst;
  const peer = new Peer(lab, s, 0);
  const midInterval = async () => {
    const now = lab.wall();
    await lab.waitAdverts('dut', s.vrid, 4, now, 1, 3000);
    const last = advertsOf(await lab.frames(), lab.whoOf('dut'), s.vrid, 4).at(-1);
    // Wait (for nothing: an advert now would be early) until half an interval after it.
    await lab.waitAdverts('dut', s.vrid, 4, lab.wall(), 1, Math.max(0, (last?.wallMs ?? now) + 500 - lab.wall()));
  };
  if (want('S7/v3-ipv4')) {
    await midInterval();
    const at = await lab.inject(peer.frame({ priority: 0 }));
    await lab.waitAdverts('dut', s.vrid, 4, at, 2, 3000);
    g.record(
      'S7/v3-ipv4',
      judgeImmediateAdvert({
        ...watch('dut', s, t0),
        frames: await lab.frames(),
        injectedMs: at,
        intervalMs: 1000,
        slackMs: SLACK_MS,
        mustReset: true,
      }),
    );
  }
  if (want('S10/v3-ipv4')) {
    await midInterval();
    const at = await lab.inject(peer.frame({ priority: 50 }));
    await lab.waitAdverts('dut', s.vrid, 4, at, 3, 4000);
    const frames = await lab.frames();
    const v = judgeKeepsAdvertising({
      ...watch('dut', s, t0),
      frames,
      injectedMs: at,
      intervalMs: 1000,
      slackMs: SLACK_MS,
      want: 2,
    });
    const at9568 = judgeImmediateAdvert({
      ...watch('dut', s, t0),
      frames,
      injectedMs: at,
      intervalMs: 1000,
      slackMs: SLACK_MS,
      mustReset: false,
    });
    v.measurements.immediateAdvert = at9568.status === 'pass' ? 'yes' : 'no';
    v.detail = `${v.detail}; ${at9568.status === 'pass' ? 'it also advertised at once (RFC 9568)' : 'no immediate advert (RFC 5798 behaviour)'}`;
    g.record('S10/v3-ipv4', v);
  }
  if (want('S5/v3-ipv4')) {
    await lab.waitAdverts('dut', s.vrid, 4, lab.wall(), 1, 3000);
    const hi = new Peer(lab, s, 200);
    await lab.inject(hi.frame());
    // Backup now; the priority-0 advert of that "Master" after 300 ms.
    await lab.waitAdverts('dut', s.vrid, 4, lab.wall(), 1, 300);
    const at = await lab.inject(peer.frame({ priority: 0 }));
    await lab.waitAdverts('dut', s.vrid, 4, at, 1, 5000);
    const skew = skewTimeUs(s.priority, s.intervalCs, 3) / 1000;
    g.record(
      'S5/v3-ipv4',
      judgeTakeover({
        ...watch('dut', s, t0),
        frames: await lab.frames(),
        fromMs: at,
        lowMs: skew - 50,
        highMs: skew,
        slackMs: SLACK_MS,
        what: 'the priority-0 advert',
      }),
    );
  }
}

/** S8, S9, S15 on the 0.1 s instance. */
async function fastMasterCases(
  g: GroupContext,
  lab: DutLab,
  want: (id: string) => boolean,
  t0: number,
  watch: WatchFn,
) {
  const f = I.fast as Inst;
  const peer = new Peer(lab, f, 200);
  const masterAgain = () => lab.waitAdverts('dut', f.vrid, 4, lab.wall(), 2, mdi(f, 50) + 3000);
  if (want('S8/v3-ipv4')) {
    await masterAgain();
    const heldBefore = await lab.holds('dut', f.vip);
    const at = await lab.inject(peer.frame());
    let removedMs: number | undefined;
    const deadline = at + 1000;
    while (lab.wall() < deadline) {
      if (!(await lab.holds('dut', f.vip))) {
        removedMs = lab.wall() - at;
        break;
      }
    }
    await lab.waitAdverts('dut', f.vrid, 4, at + 20, 1, mdi(f) + 3000);
    const v = judgeYields({
      ...watch('dut', f, t0),
      frames: await lab.frames(),
      injectedMs: at,
      expectedMs: mdi(f),
      earlyMs: 15,
      slackMs: SLACK_MS,
    });
    v.measurements.vipRemovedAfterMs = removedMs ?? 'not within 1 s';
    const vipOk = heldBefore && removedMs !== undefined;
    g.record(
      'S8/v3-ipv4',
      vipOk
        ? v
        : {
            ...v,
            status: 'fail',
            detail: `${v.detail}; VIP ${heldBefore ? 'not removed within 1 s' : 'not held before the stimulus'}`,
          },
    );
  }
  if (want('S9/v3-ipv4')) {
    await masterAgain();
    const lowAt = await lab.inject(peer.frame({ priority: f.priority }, ip(5)));
    await lab.waitAdverts('dut', f.vrid, 4, lowAt, 3, 1500);
    const stays = judgeKeepsAdvertising({
      ...watch('dut', f, t0),
      frames: await lab.frames(),
      injectedMs: lowAt,
      intervalMs: 100,
      slackMs: SLACK_MS,
    });
    await masterAgain();
    const highAt = await lab.inject(peer.frame({ priority: f.priority }, ip(20)));
    await lab.waitAdverts('dut', f.vrid, 4, highAt + 20, 1, mdi(f) + 3000);
    const yields = judgeYields({
      ...watch('dut', f, t0),
      frames: await lab.frames(),
      injectedMs: highAt,
      expectedMs: mdi(f),
      earlyMs: 15,
      slackMs: SLACK_MS,
    });
    g.record(
      'S9/v3-ipv4',
      stays.status === 'fail'
        ? { ...stays, detail: `equal priority from ${ip(5)} (lower than ${ip(DUT)}): ${stays.detail}` }
        : { ...yields, detail: `lower sender ignored (${stays.detail}); greater sender ${ip(20)}: ${yields.detail}` },
    );
  }
  if (want('S15/v3-ipv4')) {
    await masterAgain();
    peer.intervalCs = 50;
    const stop = peer.start();
    await lab.waitAdverts('dut', f.vrid, 4, lab.wall(), 1, 1200);
    const stoppedAt = stop.stop();
    const last = advertsOf(
      await lab.frames(),
      { name: 'tester', macs: [lab.tester.mac], ips: [lab.tester.ipv4] },
      f.vrid,
      4,
    )
      .filter((a) => a.wallMs <= stoppedAt)
      .at(-1);
    await lab.waitAdverts('dut', f.vrid, 4, stoppedAt, 1, mdi(f, 50) + 3000);
    g.record(
      'S15/v3-ipv4',
      last
        ? judgeTakeover({
            ...watch('dut', f, t0),
            frames: await lab.frames(),
            fromMs: last.wallMs,
            from: last.frame,
            lowMs: mdi(f, 50) - 500,
            highMs: mdi(f, 50),
            slackMs: SLACK_MS,
            what: 'the last advert of a Master advertising every 50 cs',
          })
        : failed('no tester advert found'),
    );
  }
}
