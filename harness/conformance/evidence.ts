import type { DecodedAdvert } from '../../src/protocol/index.js';
import type { CapturedFrame } from './tester.js';
import type { EvidencePacket, Measurements, TimelineEvent, Verdict } from './types.js';

/**
 * Who a frame comes from, without the implementation's help: its interface MAC and the addresses it sends from
 * (an implementation using the VMAC, or two routers of one VRID sharing it as FRR does, are told apart by IP).
 */
export interface Who {
  name: string;
  macs: readonly string[];
  ips: readonly string[];
  /** VMACs only this host of the lab can send from (it alone runs that VRID): they do tell it apart. */
  ownVmacs?: readonly string[];
}

export interface AdvertFrame {
  wallMs: number;
  frame: CapturedFrame;
  d: DecodedAdvert;
}

/** 00:00:5e:00:01:xx / 00:00:5e:00:02:xx: shared by every router of a VRID, so it never tells them apart. */
const isVmac = (mac: string) => /^00:00:5e:00:0[12]:/.test(mac);

export function isFromWho(f: CapturedFrame, who: Who): boolean {
  if (f.ev.kind === 'other') return false;
  if (f.ev.kind === 'vrrp' && f.ev.decoded && who.ips.includes(f.ev.decoded.ip.src)) return true;
  return who.macs.includes(f.ev.srcMac) && (!isVmac(f.ev.srcMac) || (who.ownVmacs ?? []).includes(f.ev.srcMac));
}

/** Adverts of `who` for (vrid, family), in capture order. */
export function advertsOf(frames: readonly CapturedFrame[], who: Who, vrid: number, family: 4 | 6): AdvertFrame[] {
  const out: AdvertFrame[] = [];
  for (const f of frames) {
    if (f.ev.kind !== 'vrrp' || f.ev.decoded === null) continue;
    const d = f.ev.decoded;
    if (d.advert.vrid !== vrid || d.ip.family !== family || !isFromWho(f, who)) continue;
    out.push({ wallMs: f.wallMs, frame: f, d });
  }
  return out;
}

/** One line a person reads: what the frame is, its decisive fields. */
export function describeFrame(f: CapturedFrame): string {
  const ev = f.ev;
  switch (ev.kind) {
    case 'vrrp': {
      const d = ev.decoded;
      if (!d) return `VRRP from ${ev.srcMac}, undecodable (${ev.error ?? '?'})`;
      const a = d.advert;
      const interval = a.version === 3 ? `maxadv ${a.advertIntervalCs} cs` : `adv ${a.advertIntervalCs / 100} s`;
      const errs = d.errors.length > 0 ? ` [${d.errors.join(',')}]` : '';
      return (
        `VRRPv${d.wireVersion} ${d.ip.src} > ${d.ip.dst} (${ev.srcMac}) ttl ${d.ip.ttl} vrid ${a.vrid} ` +
        `prio ${a.priority} ${interval} count ${d.count} [${a.addresses.join(' ')}] ` +
        `cksum ${d.checksumValid ? (d.checksumForm ?? 'ok') : 'bad'}${errs}`
      );
    }
    case 'arp':
      return `ARP ${ev.op === 1 ? 'request' : ev.op === 2 ? 'reply' : `op ${ev.op}`} ${ev.srcMac} > ${ev.dstMac} sha ${ev.sha} spa ${ev.spa} tpa ${ev.tpa}${ev.gratuitous ? ' (gratuitous)' : ''}`;
    case 'na':
      return `NA ${ev.src} > ${ev.dst} (${ev.srcMac}) hl ${ev.hopLimit} target ${ev.target} R=${+ev.router} S=${+ev.solicited} O=${+ev.override} tlla ${ev.tlla ?? '-'}`;
    case 'mld-report':
      return `MLD report ${ev.src} (${ev.srcMac}) joins ${ev.groups.join(' ')}`;
    default:
      return `ethertype 0x${ev.etherType.toString(16).padStart(4, '0')} ${f.data.length} bytes${ev.detail ? ` (${ev.detail})` : ''}`;
  }
}

/** Collects the decisive packets and events of one case against one time origin (the case's start). */
export class EvidenceLog {
  readonly packets: EvidencePacket[] = [];
  readonly timeline: TimelineEvent[] = [];
  readonly measurements: Measurements = {};

  constructor(readonly t0WallMs: number) {}

  rel(wallMs: number): number {
    return Math.round((wallMs - this.t0WallMs) * 1000) / 1000;
  }

  packet(f: CapturedFrame, note = ''): this {
    this.packets.push({ tMs: this.rel(f.wallMs), summary: `${describeFrame(f)}${note ? ` — ${note}` : ''}` });
    return this;
  }

  event(wallMs: number, actor: string, label: string): this {
    this.timeline.push({ tMs: this.rel(wallMs), actor, label });
    return this;
  }

  measure(name: string, value: number | string): this {
    this.measurements[name] = typeof value === 'number' ? Math.round(value * 1000) / 1000 : value;
    return this;
  }

  verdict(ok: boolean, detail: string): Verdict {
    const byTime = <T extends { tMs: number }>(xs: T[]) => [...xs].sort((a, b) => a.tMs - b.tMs);
    return {
      status: ok ? 'pass' : 'fail',
      detail,
      measurements: { ...this.measurements },
      packets: byTime(this.packets).slice(0, 20),
      timeline: byTime(this.timeline).slice(0, 30),
    };
  }
}

/** Several checks of one case: the first failure decides, everything measured is kept. */
export function allOf(log: EvidenceLog, checks: ReadonlyArray<[boolean, string]>, passDetail: string): Verdict {
  const failed = checks.filter(([ok]) => !ok).map(([, why]) => why);
  return log.verdict(failed.length === 0, failed.length === 0 ? passDetail : failed.join('; '));
}

export const ms = (x: number) => `${x.toFixed(1)} ms`;
