import { z } from 'zod';
import { type HolderChange, HolderLog, type HolderWindow } from './holder-log.js';
import type { AdvertEvent, GarpEvent, PacketEvent } from './packet-events.js';

/** A daemon state change, as the implementation adapters report them (times already monotonic ms). */
export interface StateChange {
  tMs: number;
  host: string;
  instance: string;
  from: string;
  to: string;
  reason: string;
}

/** A fault the scenario injected (kill, link down, filter...), stamped just before the action. */
export interface FaultEvent {
  tMs: number;
  kind: string;
  target: string;
  detail?: string;
}

export type TimelineEvent =
  | ({ source: 'fault' } & FaultEvent)
  | ({ source: 'state' } & StateChange)
  | ({ source: 'packet' } & PacketEvent)
  | ({ source: 'holder' } & HolderChange);

export type TimelineSource = TimelineEvent['source'];

// At equal timestamps, causes before effects: the fault, then what the daemon said, the wire, the data plane.
const SOURCE_ORDER: Record<TimelineSource, number> = { fault: 0, state: 1, packet: 2, holder: 3 };

export interface TimelineParts {
  holders?: HolderLog | readonly HolderChange[];
  packets?: readonly PacketEvent[];
  states?: readonly StateChange[];
  faults?: readonly FaultEvent[];
  /** End of observation; defaults to the holder log's end, else the last event. */
  endMs?: number;
}

export interface TimelineJson {
  format: 'vrrp-lab.timeline/1';
  endMs: number | undefined;
  events: TimelineEvent[];
}

const jsonSchema = z.object({
  format: z.literal('vrrp-lab.timeline/1'),
  endMs: z.number().optional(),
  events: z.array(z.looseObject({ source: z.enum(['fault', 'state', 'packet', 'holder']), tMs: z.number() })),
});

/**
 * Every observation of one run on one monotonic axis, sorted, with the queries scenarios assert on.
 * Immutable once built; the holder analysis is delegated to HolderLog over the holder events.
 */
export class Timeline {
  readonly events: readonly TimelineEvent[];
  readonly endMs: number | undefined;
  private readonly holderLog: HolderLog;

  constructor(events: readonly TimelineEvent[], endMs?: number) {
    this.events = [...events].sort((a, b) => a.tMs - b.tMs || SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source]);
    this.endMs = endMs ?? this.events.at(-1)?.tMs;
    const holderEvents = this.events.flatMap((e) => (e.source === 'holder' ? [stripSource(e)] : []));
    this.holderLog = new HolderLog(holderEvents, this.endMs);
  }

  static build(p: TimelineParts): Timeline {
    const holders = p.holders instanceof HolderLog ? p.holders.events : (p.holders ?? []);
    const endMs = p.endMs ?? (p.holders instanceof HolderLog ? p.holders.endMs : undefined);
    const events: TimelineEvent[] = [
      ...(p.faults ?? []).map((e) => ({ source: 'fault' as const, ...e })),
      ...(p.states ?? []).map((e) => ({ source: 'state' as const, ...e })),
      ...(p.packets ?? []).map((e) => ({ source: 'packet' as const, ...e })),
      ...holders.map((e) => ({ source: 'holder' as const, ...e })),
    ];
    return new Timeline(events, endMs);
  }

  toJSON(): TimelineJson {
    return { format: 'vrrp-lab.timeline/1', endMs: this.endMs, events: [...this.events] };
  }

  static fromJSON(value: unknown): Timeline {
    const j = jsonSchema.parse(typeof value === 'string' ? JSON.parse(value) : value);
    return new Timeline(j.events as unknown as TimelineEvent[], j.endMs);
  }

  /** Time of the first event at or after `after` that satisfies `pred`. */
  firstTime(pred: (e: TimelineEvent) => boolean, after = Number.NEGATIVE_INFINITY): number | undefined {
    return this.events.find((e) => e.tMs >= after && pred(e))?.tMs;
  }

  holdersAt(vip: string, t: number): string[] {
    return this.holderLog.holdersAt(vip, t);
  }

  holderWindows(vip: string): HolderWindow[] {
    return this.holderLog.windows(vip);
  }

  /** Exactly one holder at the end of observation: who, and since when. */
  singleHolderSince(vip: string): { host: string; sinceMs: number } | undefined {
    return this.holderLog.singleHolderSince(vip);
  }

  /** Split-brain windows (≥2 holders), adjacent ones merged. */
  twoHolderWindows(vip: string): HolderWindow[] {
    return this.holderLog.multiHolderWindows(vip);
  }

  /** Adverts whose IP source or source MAC is `src`, optionally within [from, to]. */
  advertsFrom(src: string, between?: readonly [number, number]): AdvertEvent[] {
    const [from, to] = between ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    return this.packets().filter(
      (e): e is AdvertEvent & { source: 'packet' } =>
        e.kind === 'advert' && (e.src === src || e.srcMac === src) && e.tMs >= from && e.tMs <= to,
    );
  }

  /** Gratuitous ARPs at or after t, optionally only those announcing `ip`. */
  garpsAfter(t: number, ip?: string): GarpEvent[] {
    return this.packets().filter(
      (e): e is GarpEvent & { source: 'packet' } =>
        e.kind === 'garp' && e.tMs >= t && (ip === undefined || e.ip === ip),
    );
  }

  /** Daemon state changes of `host` (optionally one instance), in order. */
  transitions(host: string, instance?: string): StateChange[] {
    return this.events.filter(
      (e): e is { source: 'state' } & StateChange =>
        e.source === 'state' && e.host === host && (instance === undefined || e.instance === instance),
    );
  }

  faults(): FaultEvent[] {
    return this.events.filter((e): e is { source: 'fault' } & FaultEvent => e.source === 'fault');
  }

  packets(): ({ source: 'packet' } & PacketEvent)[] {
    return this.events.filter((e): e is { source: 'packet' } & PacketEvent => e.source === 'packet');
  }
}

function stripSource(e: { source: 'holder' } & HolderChange): HolderChange {
  const { source: _source, ...rest } = e;
  return rest;
}
