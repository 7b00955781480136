import { type AdvertFrame, advertsOf, EvidenceLog, ms, type Who } from '../evidence.js';
import type { CapturedFrame } from '../tester.js';
import type { Verdict } from '../types.js';

/**
 * Oracles over what the DUT advertises around a stimulus, read only from the capture (the DUT is never asked):
 * - it keeps advertising: the stimulus was discarded (a Master that obeyed a higher priority goes silent);
 * - it yields: silent for about Master_Down_Interval after the stimulus, then Master again;
 * - it stays silent in a window (a Backup that must not transmit);
 * - it takes over within a window after the last advert of the peer.
 */

export interface AdvertWatch {
  frames: readonly CapturedFrame[];
  dut: Who;
  vrid: number;
  family: 4 | 6;
  /** Time origin of the evidence (wall ms on the capture clock). */
  t0WallMs: number;
}

/** The DUT's adverts as Master (priority > 0) after `afterMs`. */
function masterAdvertsAfter(w: AdvertWatch, afterMs: number): AdvertFrame[] {
  return advertsOf(w.frames, w.dut, w.vrid, w.family).filter((a) => a.wallMs > afterMs && a.d.advert.priority > 0);
}

export interface DiscardInput extends AdvertWatch {
  /** Capture time of the injected packet. */
  injectedMs: number;
  stimulus?: CapturedFrame;
  intervalMs: number;
  slackMs: number;
  /** How many adverts after the packet prove the DUT kept going (default 3). */
  want?: number;
}

/** The packet was discarded: `want` adverts follow it, none later than one interval (+ slack) after the previous. */
export function judgeKeepsAdvertising(i: DiscardInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  const want = i.want ?? 3;
  if (i.stimulus) log.packet(i.stimulus, 'stimulus');
  log.event(i.injectedMs, 'tester', 'stimulus sent');
  const after = masterAdvertsAfter(i, i.injectedMs).slice(0, want);
  const times = [i.injectedMs, ...after.map((a) => a.wallMs)];
  const gaps = times.slice(1).map((t, k) => t - (times[k] as number));
  const maxGap = gaps.length > 0 ? Math.max(...gaps) : Number.POSITIVE_INFINITY;
  for (const a of after) log.packet(a.frame).event(a.wallMs, i.dut.name, 'advert');
  log.measure('advertsAfterStimulus', after.length).measure('intervalMs', i.intervalMs);
  if (gaps.length > 0) log.measure('maxGapMs', maxGap);
  // Half of the silence an obeying DUT would keep ((3 + skew) intervals − 1): a busy machine's late advert stays
  // inside, an obeyed stimulus (≥ 2.6 intervals of silence) never does.
  const bound = i.intervalMs + Math.min(i.slackMs, 1.3 * i.intervalMs);
  if (after.length < want) {
    return log.verdict(false, `only ${after.length} of ${want} adverts after the stimulus: the DUT went silent`);
  }
  return log.verdict(
    maxGap <= bound,
    maxGap <= bound
      ? `kept advertising: ${want} adverts, largest gap ${ms(maxGap)} ≤ ${ms(bound)}`
      : `a gap of ${ms(maxGap)} > ${ms(bound)} after the stimulus: the DUT obeyed it`,
  );
}

export interface YieldInput extends AdvertWatch {
  injectedMs: number;
  stimulus?: CapturedFrame;
  /** The silence the RFC predicts: Master_Down_Interval for the interval the stimulus carries. */
  expectedMs: number;
  /** How much earlier than predicted still counts (timer granularity). */
  earlyMs: number;
  slackMs: number;
}

/** The DUT obeyed: its next advert comes about `expectedMs` after the stimulus (not one interval later). */
export function judgeYields(i: YieldInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  if (i.stimulus) log.packet(i.stimulus, 'stimulus');
  log.event(i.injectedMs, 'tester', 'stimulus sent');
  // An advert already on its way when the stimulus arrived may land a few µs after it: skip 20 ms.
  const next = masterAdvertsAfter(i, i.injectedMs + 20)[0];
  log.measure('expectedSilenceMs', i.expectedMs);
  if (!next) return log.verdict(false, 'the DUT never advertised again after the stimulus');
  const silence = next.wallMs - i.injectedMs;
  log.packet(next.frame, 'first advert after the silence').event(next.wallMs, i.dut.name, 'advert (Master again)');
  log.measure('silenceMs', silence);
  const lo = i.expectedMs - i.earlyMs;
  const hi = i.expectedMs + i.slackMs;
  const ok = silence >= lo && silence <= hi;
  return log.verdict(
    ok,
    ok
      ? `yielded: silent ${ms(silence)} (expected ${ms(i.expectedMs)})`
      : silence < lo
        ? `advertised again after ${ms(silence)}, before ${ms(lo)}: the stimulus was not obeyed as the RFC says`
        : `silent ${ms(silence)}, longer than ${ms(hi)}`,
  );
}

export interface SilenceInput extends AdvertWatch {
  fromMs: number;
  toMs: number;
  why: string;
}

/** No advert as Master from the DUT in (fromMs, toMs]. */
export function judgeSilent(i: SilenceInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  const sent = masterAdvertsAfter(i, i.fromMs).filter((a) => a.wallMs <= i.toMs);
  log.event(i.fromMs, 'tester', 'window opens').event(i.toMs, 'tester', 'window closes');
  log.measure('windowMs', i.toMs - i.fromMs).measure('dutAdverts', sent.length);
  for (const a of sent.slice(0, 5)) log.packet(a.frame, 'should not have been sent');
  return log.verdict(
    sent.length === 0,
    sent.length === 0
      ? `silent for ${ms(i.toMs - i.fromMs)} (${i.why})`
      : `${sent.length} advert(s) in a window where it must stay silent (${i.why})`,
  );
}

export interface TakeoverInput extends AdvertWatch {
  /** The event the takeover is measured from (last advert of the peer, the priority-0 advert...). */
  fromMs: number;
  from?: CapturedFrame;
  /** The RFC window after `fromMs`: lowExclusiveMs < t ≤ highMs. */
  lowMs: number;
  highMs: number;
  slackMs: number;
  what: string;
}

/** The DUT's first advert after `fromMs` falls in the RFC window (widened by the slack at the top). */
export function judgeTakeover(i: TakeoverInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  if (i.from) log.packet(i.from, 'reference event');
  log.event(i.fromMs, 'tester', i.what);
  log.measure('windowLowMs', i.lowMs).measure('windowHighMs', i.highMs);
  const first = masterAdvertsAfter(i, i.fromMs)[0];
  if (!first) return log.verdict(false, `the DUT never took over after ${i.what}`);
  const t = first.wallMs - i.fromMs;
  log.packet(first.frame, 'first advert as Master').event(first.wallMs, i.dut.name, 'takes over');
  log.measure('takeoverMs', t);
  // Timers of 10 ms granularity and the capture clock: 5 ms below the window still counts as inside.
  const ok = t > i.lowMs - 5 && t <= i.highMs + i.slackMs;
  return log.verdict(
    ok,
    ok
      ? `took over ${ms(t)} after ${i.what} (window (${ms(i.lowMs)}, ${ms(i.highMs)}])`
      : `took over ${ms(t)} after ${i.what}, outside (${ms(i.lowMs)}, ${ms(i.highMs)}] + ${ms(i.slackMs)}`,
  );
}
