import type { HolderChange } from '../observers/holder-log.js';

/**
 * The plain, serialisable record of one scenario run that assertions, matchers and reports read.
 *
 * It is a snapshot of the observers' merged timeline (see `from-observers.ts`), kept as data on purpose:
 * assertions are pure functions over it (unit-testable with hand-written events), a report can be
 * rendered from it long after the lab is gone, and another project's tests can build one by hand.
 * Every time is monotonic ms (src/util/clock.ts monotonicMs); `t0Ms` is the origin the reports use.
 */
export interface ScenarioTimeline {
  t0Ms: number;
  /** End of observation; open windows are cut here. */
  endMs: number;
  hosts: TimelineHost[];
  vips: string[];
  /** VIP holder changes, as recorded by the holder sampler (≥100 Hz, docs/quirks.md Q21). */
  holders: HolderChange[];
  /** State changes as reported by the implementations (control socket, keepalived JSON, FRR vtysh). */
  states: StateEvent[];
  /** VRRP adverts seen in the capture of the link. */
  adverts: AdvertEvent[];
  /** Gratuitous ARPs and unsolicited NAs seen in the capture. */
  garps: GarpEvent[];
  /** Injected faults (vertical lines in the report); `endMs` when the fault was undone. */
  faults: FaultEvent[];
  /** Scenario steps, for progress, allowed transients ("during: takeover") and the report. */
  steps: StepEvent[];
}

export interface TimelineHost {
  name: string;
  role: 'router' | 'client';
  /** Addresses without prefix, used to attribute captured packets to hosts. */
  addresses: string[];
  /** MAC of the VRRP-facing interface, when known (GARP sender check). */
  mac?: string;
}

export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'UNKNOWN';

export interface StateEvent {
  tMs: number;
  host: string;
  instance?: string;
  state: VrrpState;
}

export interface AdvertEvent {
  tMs: number;
  /** Host name the source address belongs to; undefined for a foreign sender. */
  host?: string;
  srcIp: string;
  dstIp?: string;
  vrid: number;
  priority: number;
  intervalCs: number;
}

export interface GarpEvent {
  tMs: number;
  kind: 'arp' | 'na';
  /** Host name the sender hardware address belongs to (for vMAC senders: the host the harness attributed it to). */
  host?: string;
  senderMac: string;
  /** ARP sender protocol address / NA target address: the VIP being announced. */
  senderIp: string;
  /** ARP target protocol address (must equal senderIp for a gratuitous ARP). */
  targetIp?: string;
}

export interface FaultEvent {
  tMs: number;
  label: string;
  host?: string;
  endMs?: number;
}

export interface StepEvent {
  name: string;
  startMs: number;
  endMs?: number;
}

export function emptyTimeline(t0Ms = 0): ScenarioTimeline {
  return {
    t0Ms,
    endMs: t0Ms,
    hosts: [],
    vips: [],
    holders: [],
    states: [],
    adverts: [],
    garps: [],
    faults: [],
    steps: [],
  };
}

export function routerNames(tl: ScenarioTimeline): string[] {
  return tl.hosts.filter((h) => h.role === 'router').map((h) => h.name);
}

/** Adverts from `host` with tMs in [fromMs, toMs). */
export function advertsFrom(tl: ScenarioTimeline, host: string, fromMs = -Infinity, toMs = Infinity): AdvertEvent[] {
  return tl.adverts.filter((a) => a.host === host && a.tMs >= fromMs && a.tMs < toMs);
}

/** "+3.512 s" relative to the timeline's origin: how every failure message names an instant. */
export function at(tl: ScenarioTimeline, tMs: number): string {
  return `+${((tMs - tl.t0Ms) / 1000).toFixed(3)} s`;
}

export function stepByName(tl: ScenarioTimeline, name: string): StepEvent | undefined {
  return tl.steps.find((s) => s.name === name);
}
