import { solicitedNodeGroup } from '../../../src/protocol/index.js';
import { allOf, EvidenceLog, ms } from '../evidence.js';
import type { CapturedFrame } from '../tester.js';
import type { Verdict } from '../types.js';

/** Oracles for what the DUT does in the data plane (D1–D7): GARPs, NAs, ARP answers, echo replies, holders. */

export interface AnnounceInput {
  frames: readonly CapturedFrame[];
  t0WallMs: number;
  vip: string;
  /** MAC the announcement must carry: the VMAC with VMAC, else the interface MAC. */
  mac: string;
  /** Capture time of the DUT's first advert as Master. */
  becameMasterMs: number;
  /** How long after the first advert the first announcement may come. */
  withinMs: number;
}

/** D1: at least one gratuitous ARP for the VIP: sender = the expected MAC and the VIP, target IP = the VIP. */
export function judgeGarp(i: AnnounceInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  const garps = i.frames.filter((f) => f.ev.kind === 'arp' && f.ev.spa === i.vip && f.ev.tpa === i.vip);
  log.event(i.becameMasterMs, 'dut', 'first advert as Master');
  for (const g of garps.slice(0, 6)) log.packet(g).event(g.wallMs, 'dut', 'GARP');
  log.measure('garps', garps.length);
  const first = garps[0];
  if (first?.ev.kind !== 'arp') return log.verdict(false, `no gratuitous ARP for ${i.vip}`);
  const lead = first.wallMs - i.becameMasterMs;
  log.measure('firstGarpAfterAdvertMs', lead).measure('op', first.ev.op);
  const bad = garps.find((g) => g.ev.kind === 'arp' && (g.ev.sha !== i.mac || g.ev.srcMac !== i.mac));
  return allOf(
    log,
    [
      [bad === undefined, `a GARP carries ${bad?.ev.kind === 'arp' ? bad.ev.sha : '?'}, not ${i.mac}`],
      [first.ev.op === 1 || first.ev.op === 2, `ARP op ${first.ev.op}`],
      [
        lead >= -50 && lead <= i.withinMs,
        `first GARP ${ms(lead)} after the first advert, not within ${ms(i.withinMs)}`,
      ],
      [first.ev.dstMac === 'ff:ff:ff:ff:ff:ff', `GARP to ${first.ev.dstMac}, not broadcast`],
    ],
    `${garps.length} GARP(s) for ${i.vip} from ${i.mac} (op ${first.ev.op}), first ${ms(lead)} after the first advert`,
  );
}

export interface UnsolicitedNaInput extends AnnounceInput {
  /** Every MAC the DUT sends from (interface, VMACs): the MLD report joining the VIP's group comes from one. */
  dutMacs: readonly string[];
}

/**
 * D2: an unsolicited NA for the VIP to ff02::1, hop limit 255, R=1 S=0 O=1, TLLA = the expected MAC; and the DUT
 * announces (MLD report) that it listens to the VIP's solicited-node group, or NS for the VIP would not reach it
 * through a snooping switch.
 */
export function judgeUnsolicitedNa(i: UnsolicitedNaInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  const nas = i.frames.filter((f) => f.ev.kind === 'na' && f.ev.target === i.vip && !f.ev.solicited);
  log.event(i.becameMasterMs, 'dut', 'first advert as Master');
  for (const n of nas.slice(0, 6)) log.packet(n).event(n.wallMs, 'dut', 'NA');
  log.measure('unsolicitedNas', nas.length);
  const n = nas[0];
  if (n?.ev.kind !== 'na') return log.verdict(false, `no unsolicited NA for ${i.vip}`);
  const lead = n.wallMs - i.becameMasterMs;
  log.measure('firstNaAfterAdvertMs', lead);
  const e = n.ev;
  const group = solicitedNodeGroup(i.vip);
  const join = i.frames.find(
    (f) => f.ev.kind === 'mld-report' && i.dutMacs.includes(f.ev.srcMac) && f.ev.groups.includes(group),
  );
  if (join) log.packet(join).event(join.wallMs, 'dut', `MLD report joining ${group}`);
  log.measure('solicitedNodeJoin', join ? 'yes' : 'no');
  return allOf(
    log,
    [
      [join !== undefined, `no MLD report from the DUT joining ${group}`],
      [e.dst === 'ff02::1', `NA to ${e.dst}, not ff02::1`],
      [e.hopLimit === 255, `hop limit ${e.hopLimit}`],
      [e.router && !e.solicited && e.override, `flags R=${+e.router} S=${+e.solicited} O=${+e.override}`],
      [e.tlla === i.mac, `TLLA ${e.tlla ?? 'missing'}, not ${i.mac}`],
      [e.checksumValid, 'ICMPv6 checksum invalid'],
      [lead >= -50 && lead <= i.withinMs, `first NA ${ms(lead)} after the first advert`],
    ],
    `${nas.length} unsolicited NA(s) for ${i.vip}: ff02::1, HL 255, R=1 S=0 O=1, TLLA ${i.mac}; joined ${group}`,
  );
}

export interface AnswerInput {
  frames: readonly CapturedFrame[];
  t0WallMs: number;
  /** Capture time of the request. */
  askedMs: number;
  request?: CapturedFrame;
  /** Whether an answer must come (Master) or must not (Backup). */
  expectAnswer: boolean;
  /** MAC the answer must carry when one is expected. */
  mac?: string;
  windowMs: number;
  what: string;
  /** Whether a frame is an answer to the request. */
  isAnswer: (f: CapturedFrame) => boolean;
  /** The MAC an answer carries (ARP sha, Ethernet source). */
  macOf: (f: CapturedFrame) => string;
}

/** D3/D4/D5/D6: a request to the VIP is answered (with the right MAC) or not, within a window. */
export function judgeAnswer(i: AnswerInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  if (i.request) log.packet(i.request, 'request');
  log.event(i.askedMs, 'tester', `${i.what} sent`);
  const answers = i.frames.filter((f) => f.wallMs > i.askedMs && f.wallMs <= i.askedMs + i.windowMs && i.isAnswer(f));
  for (const a of answers.slice(0, 3)) log.packet(a, 'answer').event(a.wallMs, 'dut', 'answer');
  log.measure('answers', answers.length).measure('windowMs', i.windowMs);
  const first = answers[0];
  if (first) log.measure('answerAfterMs', first.wallMs - i.askedMs);
  if (!i.expectAnswer) {
    return log.verdict(
      answers.length === 0,
      answers.length === 0
        ? `no answer to the ${i.what} within ${ms(i.windowMs)}`
        : `answered the ${i.what} (it must not)`,
    );
  }
  if (!first) return log.verdict(false, `no answer to the ${i.what} within ${ms(i.windowMs)}`);
  const mac = i.macOf(first);
  const ok = i.mac === undefined || mac === i.mac;
  return log.verdict(ok, ok ? `answered the ${i.what} from ${mac}` : `answered from ${mac}, not ${i.mac}`);
}

export interface HolderSample {
  tMs: number;
  /** Hosts that hold the VIP at that sample. */
  holders: readonly string[];
}

export interface HoldersInput {
  samples: readonly HolderSample[];
  t0WallMs: number;
  /** Longest allowed time with no holder (the failover window) and with two holders. */
  maxNoneMs: number;
  maxMultiMs: number;
}

/** D7: once stable exactly one holder; windows with zero or ≥ 2 holders stay within the bounds. */
export function judgeHolders(i: HoldersInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  let longestNone = 0;
  let longestMulti = 0;
  let runStart: number | undefined;
  let runKind: 'none' | 'multi' | undefined;
  const close = (t: number) => {
    if (runStart === undefined || runKind === undefined) return;
    const len = t - runStart;
    if (runKind === 'none') longestNone = Math.max(longestNone, len);
    else longestMulti = Math.max(longestMulti, len);
    log.event(runStart, 'holders', `${runKind === 'none' ? 'no holder' : 'two holders'} for ${ms(len)}`);
  };
  let prev = '';
  for (const s of i.samples) {
    const kind = s.holders.length === 0 ? 'none' : s.holders.length > 1 ? 'multi' : undefined;
    const key = [...s.holders].sort().join(',');
    if (key !== prev) log.event(s.tMs, 'holders', `holder: ${key || '(none)'}`);
    prev = key;
    if (kind !== runKind) {
      close(s.tMs);
      runStart = kind === undefined ? undefined : s.tMs;
      runKind = kind;
    }
  }
  const last = i.samples.at(-1);
  if (last) close(last.tMs);
  log.measure('longestNoHolderMs', longestNone).measure('longestTwoHoldersMs', longestMulti);
  log.measure('samples', i.samples.length);
  const final = last?.holders.length ?? 0;
  return allOf(
    log,
    [
      [i.samples.length > 10, `only ${i.samples.length} samples`],
      [final === 1, `${final} holders at the end`],
      [longestNone <= i.maxNoneMs, `no holder for ${ms(longestNone)} > ${ms(i.maxNoneMs)}`],
      [longestMulti <= i.maxMultiMs, `two holders for ${ms(longestMulti)} > ${ms(i.maxMultiMs)}`],
    ],
    `one holder at the end; longest no-holder ${ms(longestNone)}, two-holder ${ms(longestMulti)}`,
  );
}
