import { advertsOf, allOf, EvidenceLog, ms, type Who } from '../evidence.js';
import type { CapturedFrame } from '../tester.js';
import type { Verdict } from '../types.js';

/** Oracles for two implementations on one link, read from the adverts of each (I1, I2). */

export interface RoleInput {
  frames: readonly CapturedFrame[];
  master: Who;
  other: Who;
  vrid: number;
  family: 4 | 6;
  /** The event (stop, start) the roles are judged after, and the end of the observation. */
  atMs: number;
  endMs: number;
  /** The other side must be silent in (quietFromMs, endMs]. */
  quietFromMs: number;
  /** The expected Master must advertise within this many ms of the event. */
  boundMs: number;
}

/** After an event: the expected Master advertises in time and the other side has gone quiet. Returns problems. */
export function roleProblems(i: RoleInput, log: EvidenceLog, label: string): string[] {
  const out: string[] = [];
  const mine = advertsOf(i.frames, i.master, i.vrid, i.family).filter(
    (a) => a.wallMs > i.atMs && a.d.advert.priority > 0,
  );
  const first = mine[0];
  if (!first) return [`${label}: ${i.master.name} never advertised as Master`];
  const t = first.wallMs - i.atMs;
  log
    .measure(`${label}: ${i.master.name} Master after (ms)`, t)
    .event(first.wallMs, i.master.name, `Master (${label})`);
  if (t > i.boundMs) out.push(`${label}: ${i.master.name} became Master only after ${ms(t)} (> ${ms(i.boundMs)})`);
  const noisy = advertsOf(i.frames, i.other, i.vrid, i.family).filter(
    (a) => a.wallMs > i.quietFromMs && a.wallMs <= i.endMs && a.d.advert.priority > 0,
  );
  if (noisy[0]) {
    out.push(`${label}: ${i.other.name} still advertises as Master (${noisy.length} adverts at the end)`);
    log.packet(noisy[0].frame, 'two Masters');
  }
  return out;
}

export interface BothMasterInput {
  frames: readonly CapturedFrame[];
  dut: Who;
  peer: Who;
  vrid: number;
  fromMs: number;
  toMs: number;
  dutIntervalMs: number;
  t0WallMs: number;
}

/**
 * I2: a v3 DUT next to a v2 peer of higher priority on one VRID does not elect: the DUT keeps advertising as
 * Master (no gap an obeying Backup would leave) while the peer's v2 adverts arrive.
 */
export function judgeBothMaster(i: BothMasterInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  const live = (w: Who) =>
    advertsOf(i.frames, w, i.vrid, 4).filter(
      (a) => a.wallMs > i.fromMs && a.wallMs <= i.toMs && a.d.advert.priority > 0,
    );
  const dut = live(i.dut);
  const peer = live(i.peer);
  // From the DUT's first advert as Master: the v2 adverts must arrive while it is Master, and not silence it.
  const times = dut.map((a) => a.wallMs);
  const maxGap = Math.max(...times.slice(1).map((t, k) => t - (times[k] as number)), 0);
  const during = peer.filter((p) => dut[0] !== undefined && p.wallMs > dut[0].wallMs);
  const bound = i.dutIntervalMs + Math.min(250, 1.3 * i.dutIntervalMs);
  log.measure('dutAdverts', dut.length).measure('peerV2Adverts', peer.length).measure('dutMaxGapMs', maxGap);
  if (dut[0]) log.packet(dut[0].frame, `v${dut[0].d.advert.version} DUT`);
  for (const p of peer.slice(0, 3))
    log.packet(p.frame, `v${p.d.advert.version} peer`).event(p.wallMs, i.peer.name, 'v2 advert');
  return allOf(
    log,
    [
      [during.length >= 1, 'the v2 peer sent no advert while the DUT was Master: nothing to ignore'],
      [
        dut.length >= 3 && maxGap <= bound,
        `the v3 DUT did not keep advertising (${dut.length} adverts, largest gap ${ms(maxGap)})`,
      ],
    ],
    `both Master: the v3 DUT kept advertising (largest gap ${ms(maxGap)}) through ${during.length} v2 priority-${peer[0]?.d.advert.priority ?? '?'} advert(s) (RFC 5798 §8.4: no mixed election)`,
  );
}
