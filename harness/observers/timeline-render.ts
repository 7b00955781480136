import type { Timeline, TimelineEvent } from './timeline.js';

export interface RenderOptions {
  /** Origin of the relative times; default the first fault, else the first event. */
  t0Ms?: number;
  /** Leave out some sources (adverts every 10 ms drown everything else at adv 0.01). */
  omit?: (e: TimelineEvent) => boolean;
}

/** One line per event: "+1234.567  source  what", times in ms relative to t0. */
export function renderTimeline(tl: Timeline, opts: RenderOptions = {}): string {
  const t0 = opts.t0Ms ?? tl.faults()[0]?.tMs ?? tl.events[0]?.tMs ?? 0;
  const lines: string[] = [];
  for (const e of tl.events) {
    if (opts.omit?.(e)) continue;
    const rel = e.tMs - t0;
    const time = `${rel >= 0 ? '+' : '-'}${Math.abs(rel).toFixed(3)}`.padStart(12);
    lines.push(`${time}  ${e.source.padEnd(6)}  ${describe(e)}`);
  }
  return lines.join('\n');
}

export function describe(e: TimelineEvent): string {
  switch (e.source) {
    case 'fault':
      return `${e.kind} ${e.target}${e.detail ? ` (${e.detail})` : ''}`;
    case 'state':
      return `${e.host} ${e.instance} ${e.from} -> ${e.to}${e.reason ? ` (${e.reason})` : ''}`;
    case 'holder': {
      // The change happened after boundMs (the last probe that still saw the old state).
      const unc = e.boundMs === undefined ? '' : ` (within ${(e.tMs - e.boundMs).toFixed(1)} ms)`;
      return `${e.host} ${e.held ? 'holds' : 'drops'} ${e.vip}${e.initial ? ' (initial)' : unc}`;
    }
    case 'packet':
      switch (e.kind) {
        case 'advert':
          return (
            `advert v${e.version} vrid ${e.vrid} prio ${e.priority} int ${e.intervalCs}cs from ${e.src} (${e.srcMac})` +
            `${e.valid ? '' : ` INVALID ${e.errors.join(',')}`}`
          );
        case 'garp':
          return `garp ${e.ip} is-at ${e.sha}${e.op === 2 ? ' (reply)' : ''} from ${e.srcMac}`;
        case 'na':
          return `na ${e.target} tlla ${e.tlla ?? '-'}${e.router ? ' R' : ''}${e.solicited ? ' S' : ''}${e.override ? ' O' : ''} from ${e.src}`;
        case 'bad-vrrp':
          return `bad-vrrp from ${e.srcMac}: ${e.error}`;
      }
  }
}
