import { advertsOf, EvidenceLog, ms, type Who } from '../evidence.js';
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
  t0WallMs: number;
}

/** I2: a v3 DUT and a v2 peer on one VRID do not elect: both keep advertising as Master. */
export function judgeBothMaster(i: BothMasterInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  const live = (w: Who) =>
    advertsOf(i.frames, w, i.vrid, 4).filter((a) => a.wallMs > i.fromMs && a.d.advert.priority > 0);
  const dut = live(i.dut);
  const peer = live(i.peer);
  log.measure('dutAdverts', dut.length).measure('peerAdverts', peer.length);
  if (dut[0]) log.packet(dut[0].frame, `v${dut[0].d.advert.version} DUT`);
  if (peer[0]) log.packet(peer[0].frame, `v${peer[0].d.advert.version} peer`);
  const ok = dut.length >= 3 && peer.length >= 3;
  return log.verdict(
    ok,
    ok
      ? 'both Master: the versions ignore each other (RFC 5798 §8.4: no mixed v2/v3 election)'
      : `expected both to keep advertising: DUT ${dut.length} adverts, peer ${peer.length}`,
  );
}
