import { describe, expect, it } from 'vitest';
import { CASE_IDS } from '../../../harness/conformance/catalogue.js';
import { advertsOf, EvidenceLog } from '../../../harness/conformance/evidence.js';
import {
  judgeAnnouncedPromptly,
  judgeImmediateAdvert,
  judgeShutdownAdvert,
} from '../../../harness/conformance/oracles/announce.js';
import {
  judgeAnswer,
  judgeGarp,
  judgeHolders,
  judgeUnsolicitedNa,
} from '../../../harness/conformance/oracles/dataplane.js';
import {
  judgeKeepsAdvertising,
  judgeSilent,
  judgeTakeover,
  judgeYields,
} from '../../../harness/conformance/oracles/election.js';
import { judgeBothMaster, roleProblems } from '../../../harness/conformance/oracles/interop.js';
import * as tx from '../../../harness/conformance/oracles/transmit.js';
import type { CapturedFrame } from '../../../harness/conformance/tester.js';
import type { Verdict } from '../../../harness/conformance/types.js';
import { solicitedNodeGroup } from '../../../src/protocol/index.js';
import {
  type AdvertOptions,
  advert,
  adverts,
  arpReply,
  DUT,
  frames,
  garp,
  mldReport,
  na,
  PEER,
  VIP4,
  VIP6,
} from './synthetic.js';

/**
 * Every case of the catalogue has a negative control: its oracle, fed a synthetic capture of a conforming DUT,
 * passes, and fed one of a DUT with the defect the case exists to catch, fails. A suite that always says pass
 * proves nothing; this file proves it does not.
 */

interface Control {
  pass: () => Verdict;
  fail: () => Verdict;
}

const MDI = 360.9;

/** D2's oracle on a capture where the DUT became Master at 1000 ms. */
const unsolicitedNa = (fs: CapturedFrame[]) =>
  judgeUnsolicitedNa({
    frames: frames(...fs),
    t0WallMs: 0,
    vip: VIP6,
    mac: DUT.macs[0] as string,
    dutMacs: DUT.macs,
    becameMasterMs: 1000,
    withinMs: 500,
  });
const watch = (fs: CapturedFrame[], o: { vrid?: number; family?: 4 | 6 } = {}) => ({
  frames: fs,
  dut: DUT,
  vrid: o.vrid ?? 1,
  family: o.family ?? 4,
  t0WallMs: 0,
});

/** A Master advertising every `interval` ms; at 1000 ms a stimulus; `obeys`: silent for MDI after it. */
function masterAround(intervalMs: number, obeys: boolean, o: AdvertOptions = {}): CapturedFrame[] {
  const mdi = 3 * intervalMs + 0.609 * intervalMs;
  const resume = obeys ? 1000 + mdi : 1000 + intervalMs;
  return frames(adverts(0, 1000, intervalMs, o), adverts(resume, resume + 6 * intervalMs, intervalMs, o));
}

const discard = (intervalMs = 100, o: AdvertOptions = {}): Control => {
  const judge = (obeys: boolean) =>
    judgeKeepsAdvertising({
      ...watch(masterAround(intervalMs, obeys, o), o),
      injectedMs: 1000,
      intervalMs,
      slackMs: 250,
      want: 3,
    });
  return { pass: () => judge(false), fail: () => judge(true) };
};

const obey = (expectedMs = MDI, o: AdvertOptions = {}): Control => {
  const judge = (obeys: boolean) =>
    judgeYields({ ...watch(masterAround(100, obeys, o), o), injectedMs: 1000, expectedMs, earlyMs: 15, slackMs: 250 });
  return {
    pass: () =>
      judgeYields({
        ...watch(frames(adverts(0, 1000, 100, o), adverts(1000 + expectedMs, 1000 + expectedMs + 500, 100, o)), o),
        injectedMs: 1000,
        expectedMs,
        earlyMs: 15,
        slackMs: 250,
      }),
    fail: () => judge(false),
  };
};

const takeover = (lowMs: number, highMs: number, okAt: number, badAt: number): Control => {
  const judge = (at: number) =>
    judgeTakeover({
      ...watch(frames(advert(1000 + at), advert(1100 + at))),
      fromMs: 1000,
      lowMs,
      highMs,
      slackMs: 250,
      what: 'event',
    });
  return { pass: () => judge(okAt), fail: () => judge(badAt) };
};

const silent = (): Control => {
  const judge = (fs: CapturedFrame[]) => judgeSilent({ ...watch(fs), fromMs: 1000, toMs: 3000, why: 'test' });
  return { pass: () => judge(adverts(3100, 3500, 100)), fail: () => judge(adverts(2000, 3500, 100)) };
};

/** What T1–T10 read: the adverts of one instance and what the configuration asked for. */
function txInput(fs: CapturedFrame[], o: Partial<tx.TxExpect> = {}): tx.TxInput {
  const family = o.family ?? 4;
  return {
    adverts: advertsOf(fs, DUT, o.vrid ?? 1, family),
    expect: {
      version: 3,
      family,
      vrid: 1,
      priority: 100,
      intervalCs: 10,
      vips: [family === 4 ? VIP4 : VIP6],
      sources: family === 4 ? ['10.0.0.1'] : ['fe80::1'],
      ...o,
    },
    t0WallMs: 0,
  };
}

const txPair = (
  judge: (i: tx.TxInput) => Verdict,
  good: AdvertOptions,
  bad: AdvertOptions,
  e: Partial<tx.TxExpect> = {},
): Control => ({
  pass: () => judge(txInput(adverts(0, 2000, 100, good), e)),
  fail: () => judge(txInput(adverts(0, 2000, 100, bad), e)),
});

const answer = (expectAnswer: boolean, mac?: string) => (fs: CapturedFrame[]) =>
  judgeAnswer({
    frames: fs,
    t0WallMs: 0,
    askedMs: 1000,
    expectAnswer,
    ...(mac ? { mac } : {}),
    windowMs: 700,
    what: 'request',
    isAnswer: (f) => f.ev.kind === 'arp' && f.ev.op === 2,
    macOf: (f) => (f.ev.kind === 'arp' ? f.ev.sha : ''),
  });

const VMAC = '00:00:5e:00:01:01';
const v6 = { family: 6 as const };
const v2 = { version: 2 as const };

const CONTROLS: Record<string, Control> = {
  T1: txPair(tx.judgeT1, {}, { ttl: 254 }),
  T2: txPair(tx.judgeT2, {}, { src: VIP4 }),
  T3: txPair(tx.judgeT3, { srcMac: VMAC }, {}),
  T4: txPair(tx.judgeT4, {}, { priority: 99 }),
  T5: {
    pass: () => tx.judgeT5(txInput(adverts(0, 2000, 100))),
    // The keepalived 2.2.7 edge: 40.955 s configured, 0 cs on the wire.
    fail: () => tx.judgeT5(txInput(adverts(0, 300, 100, { advertIntervalCs: 0 })), 4095, 1),
  },
  T6: txPair(tx.judgeT6, v2, { ...v2, authType: 1 }, { version: 2, intervalCs: 100 }),
  T7: txPair(tx.judgeT7, {}, { mutate: (m) => m.writeUInt16BE(m.readUInt16BE(6) ^ 1, 6) }),
  T8: txPair(
    tx.judgeT8,
    { ...v6, addresses: ['fe80::254', VIP6] },
    { ...v6, addresses: [VIP6, 'fe80::254'] },
    { family: 6, vips: ['fe80::254', VIP6] },
  ),
  T9: {
    pass: () => tx.judgeT9(txInput(adverts(0, 2000, 100))),
    fail: () => tx.judgeT9(txInput(adverts(0, 2600, 130))),
  },
  T10: {
    pass: () =>
      tx.judgeT10(txInput(frames(adverts(0, 1000, 100), advert(1010, { priority: 0 })), { stopWallMs: 1005 })),
    fail: () => tx.judgeT10(txInput(frames(adverts(0, 1000, 100), advert(500, { priority: 0 })), { stopWallMs: 1005 })),
  },
  R1: discard(),
  R2: discard(100, v6),
  R3: discard(1000, v2),
  R4: discard(),
  R5: discard(),
  R6: discard(),
  R7: discard(),
  R8: discard(1000, v2),
  R9: discard(1000, v2),
  R10: obey(1804.7),
  R11: obey(),
  R12: discard(),
  R13: discard(),
  R14: obey(),
  R15: obey(),
  R16: discard(100, v6),
  R17: discard(1000, v2),
  R18: discard(),
  S1: takeover(3609, 4200, 3800, 1000),
  S2: {
    pass: () => judgeAnnouncedPromptly(frames(advert(1000), garp(1001)), VIP4, 1000, 0),
    fail: () => judgeAnnouncedPromptly(frames(advert(1000)), VIP4, 1000, 0),
  },
  S3: silent(),
  S4: takeover(260.9, 360.9, 340, 150),
  S5: takeover(559.4, 609.4, 612, 3609),
  S6: {
    pass: () =>
      judgeShutdownAdvert({ ...watch(frames(adverts(0, 1000, 100), advert(1005, { priority: 0 }))), stopMs: 1000 }),
    fail: () => judgeShutdownAdvert({ ...watch(adverts(0, 1000, 100)), stopMs: 1000 }),
  },
  S7: {
    pass: () =>
      judgeImmediateAdvert({
        ...watch(frames(advert(0), advert(1502), advert(2502))),
        injectedMs: 1500,
        intervalMs: 1000,
        slackMs: 250,
        mustReset: true,
      }),
    // No reset: the regular timer fires 500 ms after the immediate advert.
    fail: () =>
      judgeImmediateAdvert({
        ...watch(frames(advert(1000), advert(1502), advert(2000))),
        injectedMs: 1500,
        intervalMs: 1000,
        slackMs: 250,
        mustReset: true,
      }),
  },
  S8: obey(),
  S9: obey(),
  S10: discard(1000),
  S11: takeover(260.9, 360.9, 350, 3000),
  S12: silent(),
  S13: takeover(2609, 3609, 3620, 3805 + 400),
  S14: takeover(0, 500, 300, 3004),
  S15: takeover(1304.7, 1804.7, 1810, 361),
  S16: silent(),
  D1: {
    pass: () =>
      judgeGarp({
        frames: frames(advert(1000), garp(1001)),
        t0WallMs: 0,
        vip: VIP4,
        mac: DUT.macs[0] as string,
        becameMasterMs: 1000,
        withinMs: 500,
      }),
    fail: () =>
      judgeGarp({
        frames: frames(advert(1000), garp(1001, { sender: VMAC })),
        t0WallMs: 0,
        vip: VIP4,
        mac: DUT.macs[0] as string,
        becameMasterMs: 1000,
        withinMs: 500,
      }),
  },
  D2: {
    pass: () => unsolicitedNa([na(1001), mldReport(1001, [solicitedNodeGroup(VIP6)])]),
    fail: () => unsolicitedNa([na(1001, { router: false }), mldReport(1001, [solicitedNodeGroup(VIP6)])]),
  },
  D3: {
    pass: () => answer(true, VMAC)([arpReply(1010, VIP4, VMAC)]),
    fail: () => answer(true, VMAC)([arpReply(1010, VIP4, DUT.macs[0] as string)]),
  },
  D4: { pass: () => answer(false)([]), fail: () => answer(false)([arpReply(1010, VIP4, VMAC)]) },
  D5: { pass: () => answer(false)([]), fail: () => answer(false)([arpReply(1010, VIP4, VMAC)]) },
  D6: { pass: () => answer(true)([arpReply(1010, VIP4, VMAC)]), fail: () => answer(true)([]) },
  D7: {
    pass: () =>
      judgeHolders({
        samples: Array.from({ length: 100 }, (_, k) => ({
          tMs: k * 10,
          holders: k < 50 ? ['dut'] : k < 58 ? [] : ['peer'],
        })),
        t0WallMs: 0,
        maxNoneMs: MDI + 250,
        maxMultiMs: 250,
      }),
    fail: () =>
      judgeHolders({
        samples: Array.from({ length: 100 }, (_, k) => ({ tMs: k * 10, holders: k < 50 ? ['dut'] : ['dut', 'peer'] })),
        t0WallMs: 0,
        maxNoneMs: MDI + 250,
        maxMultiMs: 250,
      }),
  },
  I1: {
    pass: () => roles(frames(adverts(1000, 2000, 100), adverts(0, 1100, 100, { who: PEER }))),
    fail: () => roles(frames(adverts(1000, 2000, 100), adverts(0, 2000, 100, { who: PEER }))),
  },
  I2: {
    pass: () => bothMaster(frames(adverts(0, 4000, 100), adverts(0, 4000, 1000, { who: PEER, ...v2, priority: 200 }))),
    // The v3 DUT obeyed the v2 priority-200 advert at 1000 ms: silent for Master_Down_Interval.
    fail: () =>
      bothMaster(
        frames(
          adverts(0, 1001, 100),
          adverts(1361, 4000, 100),
          adverts(0, 4000, 1000, { who: PEER, ...v2, priority: 200 }),
        ),
      ),
  },
};

function bothMaster(fs: CapturedFrame[]): Verdict {
  return judgeBothMaster({
    frames: fs,
    dut: DUT,
    peer: PEER,
    vrid: 1,
    fromMs: 0,
    toMs: 4000,
    dutIntervalMs: 100,
    t0WallMs: 0,
  });
}

/** I1's per-event check: the DUT must be Master after 1000 ms and the peer quiet in the last 300 ms. */
function roles(fs: CapturedFrame[]): Verdict {
  const log = new EvidenceLog(0);
  const problems = roleProblems(
    {
      frames: fs,
      master: DUT,
      other: PEER,
      vrid: 1,
      family: 4,
      atMs: 900,
      endMs: 2000,
      quietFromMs: 1700,
      boundMs: 1000,
    },
    log,
    'event',
  );
  return log.verdict(problems.length === 0, problems.join('; ') || 'roles as expected');
}

describe('conformance negative controls: every case passes a conforming capture and fails a defective one', () => {
  it('covers every case of the catalogue', () => {
    expect(Object.keys(CONTROLS).sort()).toEqual([...CASE_IDS].sort());
  });

  for (const id of CASE_IDS) {
    it(`${id}`, () => {
      const c = CONTROLS[id] as Control;
      const good = c.pass();
      const bad = c.fail();
      expect(good.status, good.detail).toBe('pass');
      expect(bad.status, bad.detail).toBe('fail');
      expect(bad.detail.length).toBeGreaterThan(0);
    });
  }
});

describe('D2 also needs the solicited-node join', () => {
  const judge = (mld: CapturedFrame[]) => unsolicitedNa([na(1001), ...mld]);

  it('fails a perfect NA without an MLD report for the VIP group, or with one from another host', () => {
    const none = judge([]);
    expect(none.status).toBe('fail');
    expect(none.detail).toContain(`no MLD report from the DUT joining ${solicitedNodeGroup(VIP6)}`);
    expect(judge([mldReport(1001, ['ff02::1:ff00:1'])]).status).toBe('fail');
    expect(judge([mldReport(1001, [solicitedNodeGroup(VIP6)], PEER.macs[0] as string)]).status).toBe('fail');
    expect(judge([mldReport(1001, ['ff02::2', solicitedNodeGroup(VIP6)])]).status).toBe('pass');
  });
});
