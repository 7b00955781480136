import type { ImplName } from '../adapters/types.js';
import type { GarpSettings } from '../topology/vrrp-settings.js';
import { type CheckResult, check, ms } from './check.js';
import { at, type ScenarioTimeline } from './timeline.js';

/** When each burst of gratuitous ARPs is due after becoming Master, and how many per VIP. */
export interface GarpSchedule {
  bursts: Array<{ offsetMs: number; count: number }>;
  /** How far a burst may spread after its first frame (keepalived: up to ~35 ms under load, docs/quirks.md Q5). */
  spreadMs: number;
  /**
   * keepalived (and vrrpd, which copies it) answer a lower-priority advert received as Master with
   * `garp_lower_prio_repeat` GARPs at once and again after `garp_lower_prio_delay` (both default to the
   * master values, docs/protocol.md §6). FRR does not.
   */
  lowerPrio?: { count: number; delayMs: number };
}

/**
 * The schedule an implementation is configured to follow (docs/protocol.md §6):
 * keepalived sends `garp_master_repeat` GARPs at once and again after `garp_master_delay` s;
 * FRR 8.4 sends exactly one and never repeats; vrrpd follows keepalived's defaults from the same settings.
 */
export function garpSchedule(impl: ImplName, garp: GarpSettings): GarpSchedule {
  if (impl === 'frr') return { bursts: [{ offsetMs: 0, count: 1 }], spreadMs: 50 };
  const bursts = [{ offsetMs: 0, count: garp.masterRepeat }];
  if (garp.masterDelayS > 0) bursts.push({ offsetMs: garp.masterDelayS * 1000, count: garp.masterRepeat });
  return { bursts, spreadMs: 50, lowerPrio: { count: garp.masterRepeat, delayMs: garp.masterDelayS * 1000 } };
}

/** The MAC a gratuitous ARP must carry: FRR speaks from the macvlan's virtual MAC, keepalived/vrrpd from the real one. */
export function expectedGarpMac(impl: ImplName, hostMac: string | undefined, vrid: number): string | undefined {
  if (impl === 'frr') return `00:00:5e:00:01:${vrid.toString(16).padStart(2, '0')}`;
  return hostMac?.toLowerCase();
}

/**
 * A VIP is announced by a gratuitous ARP (IPv4) or an unsolicited Neighbor Advertisement (IPv6, RFC 5798
 * §6.4.1 / §8.2): the same schedule applies to both, keyed by the announced address.
 */
function isAnnouncement(g: ScenarioTimeline['garps'][number]): boolean {
  return g.kind === (g.senderIp.includes(':') ? 'na' : 'arp');
}

export interface GarpCheckOptions {
  host: string;
  vips: string[];
  /** The instant the host became Master (its first advert as Master). */
  masterSinceMs: number;
  /** End of that mastership (or of observation): bursts due after this are not checked. */
  untilMs: number;
  schedule: GarpSchedule;
  expectedMac: string | undefined;
  toleranceMs: number;
  /** When the Master received lower-priority adverts (they explain extra bursts, see GarpSchedule.lowerPrio). */
  lowerPrioAdvertsMs?: number[];
  label?: string;
}

/**
 * Count and spacing of the GARPs `host` sent for each VIP during one mastership, against the schedule.
 * A GARP outside every scheduled burst is reported: keepalived's delayed burst is not cancelled when it
 * leaves MASTER (docs/quirks.md Q6), which shows up here as an extra burst.
 */
export function checkGarps(tl: ScenarioTimeline, o: GarpCheckOptions): CheckResult {
  const label = o.label ?? 'garp';
  const failures: string[] = [];
  const m: Record<string, number | string> = {};
  // Only the Master's own frames: GARPs of another node are judged against that node's masterships (checkAllGarps).
  const mine = tl.garps.filter(
    (g) =>
      isAnnouncement(g) &&
      (g.host === undefined || g.host === o.host) &&
      g.tMs >= o.masterSinceMs &&
      g.tMs <= o.untilMs,
  );
  for (const vip of o.vips) {
    const forVip = mine.filter((g) => g.senderIp === vip);
    const claimed = new Set<number>();
    let total = 0;
    o.schedule.bursts.forEach((b, i) => {
      const dueMs = o.masterSinceMs + b.offsetMs;
      if (dueMs + o.schedule.spreadMs + o.toleranceMs > o.untilMs) return; // not due within the observation
      const fromMs = dueMs - (i === 0 ? 0 : o.toleranceMs);
      const toMs = dueMs + o.schedule.spreadMs + o.toleranceMs;
      const window = forVip.filter((g) => g.tMs >= fromMs && g.tMs <= toMs);
      for (const g of window) claimed.add(forVip.indexOf(g));
      const inBurst = window.filter((g) => g.host === undefined || g.host === o.host);
      for (const g of window.filter((g) => !inBurst.includes(g))) {
        failures.push(
          `${label}: GARP for ${vip} at ${at(tl, g.tMs)} came from ${g.host}, not the new Master ${o.host}`,
        );
      }
      total += inBurst.length;
      const burstName = `burst ${i + 1} (+${b.offsetMs} ms)`;
      const first = inBurst[0];
      if (first) m[`${label}.${vip}.burst${i + 1}OffsetMs`] = ms(first.tMs - o.masterSinceMs);
      if (inBurst.length !== b.count) {
        failures.push(`${label}: ${vip} ${burstName}: ${inBurst.length} GARPs from ${o.host}, expected ${b.count}`);
      }
      for (const g of inBurst) {
        if (o.expectedMac && g.senderMac.toLowerCase() !== o.expectedMac) {
          failures.push(
            `${label}: GARP for ${vip} at ${at(tl, g.tMs)} has sender MAC ${g.senderMac}, expected ${o.expectedMac}`,
          );
        }
        if (g.targetIp !== undefined && g.targetIp !== vip) {
          failures.push(`${label}: GARP at ${at(tl, g.tMs)} has target IP ${g.targetIp}, expected ${vip} (SPA = TPA)`);
        }
      }
    });
    const lp = o.schedule.lowerPrio;
    const answersLowerPrio = (t: number) =>
      lp !== undefined &&
      (o.lowerPrioAdvertsMs ?? []).some(
        (a) =>
          (t >= a && t <= a + o.schedule.spreadMs + o.toleranceMs) ||
          (lp.delayMs > 0 && Math.abs(t - (a + lp.delayMs)) <= o.schedule.spreadMs + o.toleranceMs),
      );
    const unclaimed = forVip.filter((_, i) => !claimed.has(i));
    const lowerPrio = unclaimed.filter((g) => answersLowerPrio(g.tMs));
    const extra = unclaimed.filter((g) => !lowerPrio.includes(g));
    if (lowerPrio.length > 0) m[`${label}.${vip}.lowerPrioGarps`] = lowerPrio.length;
    if (extra.length > 0) {
      failures.push(
        `${label}: ${extra.length} GARP(s) for ${vip} outside the schedule, first at ${at(tl, extra[0]!.tMs)} (+${ms(extra[0]!.tMs - o.masterSinceMs)} ms after becoming Master)`,
      );
    }
    m[`${label}.${vip}.count`] = total + extra.length + lowerPrio.length;
  }
  return check(failures, m);
}

export interface Mastership {
  host: string;
  /** First advert of the run. */
  startMs: number;
  /** One interval after its last advert (or its priority-0 advert). */
  endMs: number;
  /** Whether the mastership was still running when observation ended. */
  open: boolean;
}

/**
 * Masterships read from the capture: a Master advertises every interval (RFC 5798 §6.4.3), so a run of
 * adverts from one host with gaps under 3 intervals is one mastership. Priority-0 adverts end it. Runs of
 * different hosts may overlap: that is a startup race (docs/quirks.md Q8), and each is judged on its own.
 */
export function masterships(tl: ScenarioTimeline, vrid: number, intervalMs: number): Mastership[] {
  const out: Array<Mastership & { lastMs: number }> = [];
  const current = new Map<string, Mastership & { lastMs: number }>();
  for (const a of tl.adverts) {
    if (a.vrid !== vrid || a.host === undefined) continue;
    const cur = current.get(a.host);
    if (a.priority === 0) {
      if (cur) cur.endMs = a.tMs;
      current.delete(a.host);
      continue;
    }
    if (cur && a.tMs - cur.lastMs < 3 * intervalMs) {
      cur.lastMs = a.tMs;
      cur.endMs = Math.min(tl.endMs, a.tMs + intervalMs);
      continue;
    }
    const m = {
      host: a.host,
      startMs: a.tMs,
      endMs: Math.min(tl.endMs, a.tMs + intervalMs),
      open: false,
      lastMs: a.tMs,
    };
    current.set(a.host, m);
    out.push(m);
  }
  for (const m of current.values()) if (tl.endMs - m.lastMs < 3 * intervalMs) m.open = true;
  return out.map(({ lastMs: _l, ...rest }) => rest);
}

/**
 * GARPs of every mastership checked against the schedule, and every GARP sent while its sender was not Master
 * reported (quirks Q6: keepalived's delayed burst outlives a short mastership).
 */
export function checkAllGarps(
  tl: ScenarioTimeline,
  o: {
    impl: ImplName;
    garp: GarpSettings;
    vrid: number;
    intervalMs: number;
    vips: string[];
    mac: (host: string) => string | undefined;
    toleranceMs: number;
  },
): CheckResult {
  const ms_ = masterships(tl, o.vrid, o.intervalMs);
  const schedule = garpSchedule(o.impl, o.garp);
  const failures: string[] = [];
  const m: Record<string, number | string> = { 'garp.masterships': ms_.length };
  ms_.forEach((ship, i) => {
    // The next burst is due while the Master is still Master only if the mastership lasts that long.
    const untilMs = ship.open ? tl.endMs : ship.endMs;
    const myPrio = tl.adverts.find((a) => a.host === ship.host && a.tMs === ship.startMs)?.priority ?? 0;
    const lowerPrioAdvertsMs = tl.adverts
      .filter((a) => a.vrid === o.vrid && a.host !== ship.host && a.priority > 0 && a.priority < myPrio)
      .filter((a) => a.tMs >= ship.startMs && a.tMs <= untilMs)
      .map((a) => a.tMs);
    const r = checkGarps(tl, {
      lowerPrioAdvertsMs,
      host: ship.host,
      vips: o.vips,
      masterSinceMs: ship.startMs,
      untilMs,
      schedule,
      expectedMac: expectedGarpMac(o.impl, o.mac(ship.host), o.vrid),
      toleranceMs: o.toleranceMs,
      label: `garp[${i + 1} ${ship.host} ${at(tl, ship.startMs)}]`,
    });
    failures.push(...r.failures);
    for (const [k, v] of Object.entries(r.measurements)) m[k] = v;
  });
  const covered = (host: string, t: number) =>
    ms_.some(
      (s) =>
        s.host === host && t >= s.startMs - o.toleranceMs && t <= (s.open ? tl.endMs : s.endMs) + schedule.spreadMs,
    );
  const stray = tl.garps.filter(
    (g) => isAnnouncement(g) && o.vips.includes(g.senderIp) && !(g.host && covered(g.host, g.tMs)),
  );
  for (const host of [...new Set(stray.map((g) => g.host ?? g.senderMac))]) {
    const mine = stray.filter((g) => (g.host ?? g.senderMac) === host);
    failures.push(
      `garp: ${mine.length} GARP(s) from ${host} while it was not Master, first at ${at(tl, mine[0]!.tMs)} (a delayed burst that outlived its mastership: docs/quirks.md Q6)`,
    );
  }
  m['garp.stray'] = stray.length;
  return check(failures, m);
}
