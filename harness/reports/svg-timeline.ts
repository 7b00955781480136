import { HolderLog } from '../observers/holder-log.js';
import type { ScenarioTimeline, VrrpState } from '../scenario/timeline.js';
import { escapeXml } from './escape.js';

/**
 * One scenario's timeline as an inline SVG a person reads at a glance: a lane per router (state colour,
 * advert ticks, GARP diamonds), a VIP-holder lane per VIP (red where 0 or ≥2 hosts hold it), injected
 * faults as labelled vertical lines, steps along the bottom, time axis in seconds. Every mark has a
 * <title>, so hovering gives exact times.
 */

export const STATE_COLOURS: Record<VrrpState, string> = {
  INIT: '#b0b7c3',
  BACKUP: '#5b8fd6',
  MASTER: '#2f9e5b',
  FAULT: '#e39b2d',
  UNKNOWN: '#e6e8ec',
};
export const HOLDER_OK = '#2f9e5b';
export const HOLDER_BAD = '#d63939';
const GARP_COLOUR = '#8e44ad';
const FAULT_COLOUR = '#b03a2e';

const W = 1200;
const LEFT = 150;
const RIGHT = 20;
const PLOT = W - LEFT - RIGHT;
const LANE = 34;
const FAULT_LABEL_ROW = 14;

interface Seg {
  from: number;
  to: number;
}

function fmtS(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** 1, 2 or 5 × 10^n seconds, so that there are roughly 8–16 ticks. */
export function tickStepS(spanS: number): number {
  const raw = spanS / 10;
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}

export function renderTimelineSvg(tl: ScenarioTimeline, opts: { title?: string } = {}): string {
  const t0 = tl.t0Ms;
  const spanMs = Math.max(1, tl.endMs - t0);
  const x = (tMs: number) => LEFT + (Math.min(Math.max(tMs - t0, 0), spanMs) / spanMs) * PLOT;
  const routers = tl.hosts.filter((h) => h.role === 'router').map((h) => h.name);
  const faultRows = Math.max(1, Math.min(4, tl.faults.length));
  const top = 8 + faultRows * FAULT_LABEL_ROW;
  const lanesTop = top + 6;
  const vipTop = lanesTop + routers.length * LANE;
  const stepsTop = vipTop + tl.vips.length * LANE;
  const axisTop = stepsTop + 22;
  const H = axisTop + 30;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(opts.title ?? 'timeline')}">`,
  );
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);

  // Vertical grid + axis.
  const stepS = tickStepS(spanMs / 1000);
  for (let s = 0; s * 1000 <= spanMs + 1e-6; s += stepS) {
    const gx = LEFT + ((s * 1000) / spanMs) * PLOT;
    out.push(
      `<line class="grid" x1="${gx.toFixed(1)}" y1="${top}" x2="${gx.toFixed(1)}" y2="${axisTop}" stroke="#eceef2"/>`,
    );
    out.push(
      `<text class="tick" x="${gx.toFixed(1)}" y="${axisTop + 14}" text-anchor="middle" font-size="11" fill="#555">${Number(s.toFixed(3))}</text>`,
    );
  }
  out.push(`<line x1="${LEFT}" y1="${axisTop}" x2="${LEFT + PLOT}" y2="${axisTop}" stroke="#888"/>`);
  out.push(
    `<text x="${LEFT + PLOT}" y="${axisTop + 27}" text-anchor="end" font-size="11" fill="#555">time since start (s)</text>`,
  );

  // Router lanes.
  routers.forEach((host, i) => {
    const y = lanesTop + i * LANE;
    out.push(`<g class="lane node-lane" data-host="${escapeXml(host)}">`);
    out.push(`<text x="8" y="${y + 15}" font-size="12" font-weight="600" fill="#222">${escapeXml(host)}</text>`);
    const prio = tl.adverts.find((a) => a.host === host && a.priority > 0)?.priority;
    const segs = stateSegments(tl, host);
    const sub = [prio === undefined ? '' : `prio ${prio}`, segs[0]?.derived ? 'state from VIP' : '']
      .filter(Boolean)
      .join(' · ');
    if (sub) out.push(`<text x="8" y="${y + 28}" font-size="10" fill="#777">${escapeXml(sub)}</text>`);
    for (const s of segs) {
      out.push(
        `<rect class="state state-${s.state}" x="${x(s.from).toFixed(1)}" y="${y + 3}" width="${Math.max(1, x(s.to) - x(s.from)).toFixed(1)}" height="14" fill="${STATE_COLOURS[s.state]}"><title>${escapeXml(`${host} ${s.state}${s.derived ? ' (from VIP holder samples)' : ''}: ${fmtS(s.from - t0)} – ${fmtS(s.to - t0)}`)}</title></rect>`,
      );
    }
    for (const a of tl.adverts.filter((e) => e.host === host)) {
      const ax = x(a.tMs).toFixed(1);
      const zero = a.priority === 0;
      out.push(
        `<line class="advert${zero ? ' advert-prio0' : ''}" x1="${ax}" y1="${y + 19}" x2="${ax}" y2="${y + (zero ? 32 : 27)}" stroke="${zero ? FAULT_COLOUR : '#333'}" stroke-width="${zero ? 2 : 1}"><title>${escapeXml(`advert from ${host} prio ${a.priority} at ${fmtS(a.tMs - t0)}`)}</title></line>`,
      );
    }
    for (const g of tl.garps.filter((e) => e.host === host)) {
      const gx = x(g.tMs);
      const gy = y + 27;
      out.push(
        `<path class="garp" d="M${gx.toFixed(1)} ${gy - 4} l4 4 l-4 4 l-4 -4 z" fill="${GARP_COLOUR}"><title>${escapeXml(`${g.kind === 'arp' ? 'gratuitous ARP' : 'unsolicited NA'} for ${g.senderIp} from ${g.senderMac} at ${fmtS(g.tMs - t0)}`)}</title></path>`,
      );
    }
    out.push('</g>');
  });

  // VIP holder lanes.
  const log = new HolderLog(tl.holders, tl.endMs);
  tl.vips.forEach((vip, i) => {
    const y = vipTop + i * LANE;
    out.push(`<g class="lane vip-lane" data-vip="${escapeXml(vip)}">`);
    out.push(`<text x="8" y="${y + 15}" font-size="12" font-weight="600" fill="#222">VIP ${escapeXml(vip)}</text>`);
    out.push(`<text x="8" y="${y + 28}" font-size="10" fill="#777">holders</text>`);
    for (const w of log.windows(vip)) {
      const bad = w.count !== 1;
      const x1 = x(w.startMs);
      // A 10 ms split brain in a 20 s picture is under one pixel: keep bad windows visible.
      const width = Math.max(bad ? 3 : 1, x(w.startMs + w.lengthMs) - x1);
      const label = w.count === 0 ? 'no holder' : w.holders.join(' + ');
      out.push(
        `<rect class="holders ${bad ? 'holders-bad' : 'holders-ok'}" x="${x1.toFixed(1)}" y="${y + 3}" width="${width.toFixed(1)}" height="22" fill="${bad ? HOLDER_BAD : HOLDER_OK}" fill-opacity="${bad ? 1 : 0.75}"><title>${escapeXml(`${label}: ${fmtS(w.startMs - t0)} for ${w.lengthMs.toFixed(1)} ms`)}</title></rect>`,
      );
      if (width > 7 * label.length + 6) {
        out.push(
          `<text x="${(x1 + width / 2).toFixed(1)}" y="${y + 18}" text-anchor="middle" font-size="11" fill="#fff" font-weight="600">${escapeXml(label)}</text>`,
        );
      }
    }
    out.push('</g>');
  });

  // Steps along the bottom.
  out.push(`<text x="8" y="${stepsTop + 14}" font-size="10" fill="#777">steps</text>`);
  tl.steps.forEach((s, i) => {
    const x1 = x(s.startMs);
    const x2 = x(s.endMs ?? tl.endMs);
    out.push(
      `<rect class="step" x="${x1.toFixed(1)}" y="${stepsTop + 4}" width="${Math.max(1, x2 - x1).toFixed(1)}" height="14" fill="${i % 2 ? '#dfe6f0' : '#eef2f7'}" stroke="#c5cfdc"><title>${escapeXml(`${s.name}: ${fmtS(s.startMs - t0)} – ${fmtS((s.endMs ?? tl.endMs) - t0)}`)}</title></rect>`,
    );
    if (x2 - x1 > 6 * s.name.length) {
      out.push(
        `<text x="${(x1 + 3).toFixed(1)}" y="${stepsTop + 15}" font-size="10" fill="#334">${escapeXml(s.name)}</text>`,
      );
    }
  });

  // Faults on top: vertical lines through every lane, labels staggered over a few rows so they do not overlap.
  tl.faults.forEach((f, i) => {
    const fx = x(f.tMs).toFixed(1);
    const row = i % faultRows;
    const ly = 8 + (row + 1) * FAULT_LABEL_ROW - 3;
    out.push(`<g class="fault">`);
    if (f.endMs !== undefined) {
      out.push(
        `<rect x="${fx}" y="${lanesTop}" width="${Math.max(1, x(f.endMs) - x(f.tMs)).toFixed(1)}" height="${stepsTop - lanesTop}" fill="${FAULT_COLOUR}" fill-opacity="0.07"/>`,
      );
    }
    out.push(
      `<line x1="${fx}" y1="${ly + 3}" x2="${fx}" y2="${axisTop}" stroke="${FAULT_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3"><title>${escapeXml(`${f.label} at ${fmtS(f.tMs - t0)}`)}</title></line>`,
    );
    const anchor = x(f.tMs) > LEFT + PLOT - 120 ? 'end' : 'start';
    out.push(
      `<text class="fault-label" x="${fx}" y="${ly}" dx="${anchor === 'start' ? 3 : -3}" text-anchor="${anchor}" font-size="11" fill="${FAULT_COLOUR}" font-weight="600">${escapeXml(f.label)} @${((f.tMs - t0) / 1000).toFixed(2)}s</text>`,
    );
    out.push('</g>');
  });

  out.push('</svg>');
  return out.join('\n');
}

/**
 * A node's state over time. Reported states (control socket, keepalived JSON, vtysh) when there are any;
 * otherwise derived from the holder samples (holds VIP ⇒ MASTER, else BACKUP), flagged as derived.
 */
export function stateSegments(tl: ScenarioTimeline, host: string): Array<Seg & { state: VrrpState; derived: boolean }> {
  const reported = tl.states.filter((s) => s.host === host).sort((a, b) => a.tMs - b.tMs);
  const segs: Array<Seg & { state: VrrpState; derived: boolean }> = [];
  const push = (from: number, state: VrrpState, derived: boolean) => {
    const last = segs.at(-1);
    if (last && last.state === state) return;
    if (last) last.to = from;
    segs.push({ from, to: tl.endMs, state, derived });
  };
  if (reported.length > 0) {
    for (const s of reported) push(s.tMs, s.state, false);
    return segs;
  }
  const mine = tl.holders.filter((h) => h.host === host).sort((a, b) => a.tMs - b.tMs);
  const held = new Map<string, boolean>();
  for (const h of mine) {
    held.set(h.vip, h.held);
    push(h.tMs, [...held.values()].some(Boolean) ? 'MASTER' : 'BACKUP', true);
  }
  return segs;
}
