import { advertsOf, EvidenceLog, ms } from '../evidence.js';
import type { CapturedFrame } from '../tester.js';
import type { Verdict } from '../types.js';
import type { AdvertWatch } from './election.js';

/** Oracles for adverts the DUT must send at a given moment: at once on a stimulus, priority 0 on shutdown, GARP. */

/** What "at once" means on this machine: a reply, not the next regular advert (the stimulus is mid-interval). */
export const AT_ONCE_MS = 150;

export interface ImmediateInput extends AdvertWatch {
  injectedMs: number;
  intervalMs: number;
  slackMs: number;
  /** The advert after the immediate one must come a full interval later (Adver_Timer reset, S7). */
  mustReset: boolean;
}

export function judgeImmediateAdvert(i: ImmediateInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  log.event(i.injectedMs, 'tester', 'stimulus');
  const after = advertsOf(i.frames, i.dut, i.vrid, i.family).filter(
    (a) => a.wallMs > i.injectedMs && a.d.advert.priority > 0,
  );
  const [first, second] = after;
  if (!first) return log.verdict(false, 'no advert after the stimulus');
  const delay = first.wallMs - i.injectedMs;
  log.packet(first.frame).event(first.wallMs, i.dut.name, 'advert').measure('replyAfterMs', delay);
  if (delay > AT_ONCE_MS) return log.verdict(false, `next advert ${ms(delay)} after the stimulus: not at once`);
  if (!i.mustReset) return log.verdict(true, `advertised ${ms(delay)} after the stimulus`);
  if (!second) return log.verdict(false, 'no second advert after the immediate one');
  const gap = second.wallMs - first.wallMs;
  log.packet(second.frame).event(second.wallMs, i.dut.name, 'advert').measure('nextGapMs', gap);
  const ok = Math.abs(gap - i.intervalMs) <= i.slackMs;
  return log.verdict(
    ok,
    ok
      ? `advertised ${ms(delay)} after the stimulus, the next one ${ms(gap)} later (timer reset)`
      : `advertised at once, but the next one ${ms(gap)} later, not one interval (${ms(i.intervalMs)}): timer not reset`,
  );
}

export interface ShutdownInput extends AdvertWatch {
  stopMs: number;
}

/** S6: a priority-0 advert from the DUT after the graceful stop (within 2 s). */
export function judgeShutdownAdvert(i: ShutdownInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  log.event(i.stopMs, 'harness', 'graceful stop');
  const zero = advertsOf(i.frames, i.dut, i.vrid, i.family).find(
    (a) => a.wallMs >= i.stopMs && a.wallMs <= i.stopMs + 2000 && a.d.advert.priority === 0,
  );
  if (!zero) return log.verdict(false, 'no priority-0 advert within 2 s of the stop');
  log.packet(zero.frame).measure('afterStopMs', zero.wallMs - i.stopMs);
  return log.verdict(true, `priority-0 advert ${ms(zero.wallMs - i.stopMs)} after the stop`);
}

/** S2: a gratuitous ARP for the VIP within one second of the first advert as Master. */
export function judgeAnnouncedPromptly(
  frames: readonly CapturedFrame[],
  vip: string,
  firstAdvertMs: number | undefined,
  t0WallMs: number,
): Verdict {
  const log = new EvidenceLog(t0WallMs);
  if (firstAdvertMs === undefined) return log.verdict(false, 'no advert as Master');
  log.event(firstAdvertMs, 'dut', 'first advert');
  const g = frames.find(
    (f) => f.ev.kind === 'arp' && f.ev.spa === vip && f.ev.tpa === vip && f.wallMs >= firstAdvertMs - 50,
  );
  if (!g) return log.verdict(false, `no gratuitous ARP for ${vip} after the first advert`);
  const lead = g.wallMs - firstAdvertMs;
  log.packet(g).measure('garpAfterAdvertMs', lead);
  return log.verdict(lead <= 1000, `Master at once: advert, then a GARP for ${vip} ${ms(lead)} later`);
}
