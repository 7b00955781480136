import { monotonicMs } from '../../src/util/clock.js';
import { VrrpLabError } from '../../src/util/errors.js';
import type { ImplName } from '../adapters/types.js';
import { waitFor } from '../lab/wait-for.js';
import type { Topology } from '../topology/index.js';
import type { VrrpInstanceSettings } from '../topology/vrrp-settings.js';
import type { ResolvedTransient } from './assertions.js';
import { rfcBounds } from './bounds.js';
import { type HostHandle, hostHandle } from './host-handle.js';
import type { LabSession } from './session.js';
import type { FaultEvent, ScenarioTimeline, StepEvent } from './timeline.js';
import type { AllowedTransient, AssertionContext, BackendName, FaultInjector, ScenarioContext } from './types.js';

/** What the runner records itself while steps run: faults, steps and named instants. */
export class RunRecorder {
  readonly faults: FaultEvent[] = [];
  readonly steps: StepEvent[] = [];
  readonly marks: Record<string, number> = {};
}

export function routersOf(topology: Topology): string[] {
  return Object.values(topology.hosts)
    .filter((h) => h.role === 'router' && h.vrrp.length > 0)
    .map((h) => h.name);
}

export function settingsOf(topology: Topology, host: string): VrrpInstanceSettings {
  const inst = topology.hosts[host]?.vrrp[0];
  if (!inst) throw new VrrpLabError(`scenario: host ${host} has no VRRP instance in topology ${topology.name}`);
  return inst;
}

export function vipsOf(topology: Topology): string[] {
  const vips = routersOf(topology).flatMap((h) => settingsOf(topology, h).vips.map((v) => v.split('/')[0] ?? v));
  return [...new Set(vips)];
}

function faultInjector(session: LabSession, rec: RunRecorder): FaultInjector {
  // T0 is taken just before the action (docs/quirks.md Q21): a graceful stop can take ~1 s to return (quirks Q4).
  const act = async <T>(label: string, host: string, fn: () => Promise<T>): Promise<T> => {
    const ev: FaultEvent = { tMs: monotonicMs(), label, host };
    rec.faults.push(ev);
    return fn();
  };
  const undoable = (label: string, h: string, fn: () => Promise<() => Promise<void>>) => {
    const ev: FaultEvent = { tMs: monotonicMs(), label, host: h };
    rec.faults.push(ev);
    return fn().then((undo) => async () => {
      await undo();
      ev.endMs = monotonicMs();
    });
  };
  const impair = session.impairment?.bind(session);
  return {
    ...(impair && {
      dropVrrp: (h: string) => undoable(`VRRP dropped ${h}`, h, () => impair('drop-vrrp', h)),
      freeze: (h: string) => undoable(`freeze ${h}`, h, () => impair('freeze', h)),
    }),
    start: (h) => act(`start ${h}`, h, () => session.start(h)),
    stop: (h) => act(`stop ${h}`, h, () => session.stop(h)),
    crash: (h) => act(`crash ${h}`, h, () => session.kill(h)),
    cleanupStale: (h) => session.cleanupStale(h),
    linkDown: (h) => act(`link down ${h}`, h, () => session.linkDown(h)),
    linkUp: (h) => act(`link up ${h}`, h, () => session.linkUp(h)),
    loss: (h, pct) => undoable(`loss ${pct}% ${h}`, h, () => session.loss(h, pct)),
    flap: async (h, fo) => {
      const ev: FaultEvent = { tMs: monotonicMs(), label: `flap ${h} ×${fo.count}`, host: h };
      rec.faults.push(ev);
      await session.flap(h, fo);
      ev.endMs = monotonicMs();
    },
    nginxFail: (h) => act(`nginx fails ${h}`, h, () => session.nginxFail(h)),
    nginxRecover: (h) => act(`nginx recovers ${h}`, h, () => session.nginxRecover(h)),
  };
}

export interface ContextOptions {
  impl: ImplName;
  backend: BackendName;
  topology: Topology;
  toleranceMs: number;
  session: LabSession;
  recorder: RunRecorder;
  progress: (message: string) => void;
}

export function scenarioContext(o: ContextOptions): ScenarioContext {
  const { session, recorder } = o;
  const holders = (vip: string) => session.holders(vip);
  const faults = faultInjector(session, recorder);
  const handles = new Map<string, HostHandle>();
  return {
    impl: o.impl,
    backend: o.backend,
    topology: o.topology,
    toleranceMs: o.toleranceMs,
    faults,
    host: (name) => {
      if (!o.topology.hosts[name])
        throw new VrrpLabError(
          `no host "${name}" in topology ${o.topology.name} (${Object.keys(o.topology.hosts).join(', ')})`,
        );
      let h = handles.get(name);
      if (!h) {
        h = hostHandle(name, faults, (x) => session.shell?.(x));
        handles.set(name, h);
      }
      return h;
    },
    routers: routersOf(o.topology),
    vips: vipsOf(o.topology),
    settings: (h) => settingsOf(o.topology, h),
    bounds: (h) => rfcBounds(settingsOf(o.topology, h)),
    holders,
    waitForHolder: async (vip, host, opts) => {
      const exclusive = opts.exclusive ?? true;
      await waitFor(() => holders(vip), {
        timeoutMs: opts.timeoutMs,
        intervalMs: 5,
        description: exclusive ? `${host} to be the only holder of ${vip}` : `${host} to hold ${vip}`,
        until: (hs) => (exclusive ? hs.length === 1 && hs[0] === host : hs.includes(host)),
      });
      return monotonicMs();
    },
    waitForHolders: async (vip, n, opts) => {
      await waitFor(() => holders(vip), {
        timeoutMs: opts.timeoutMs,
        intervalMs: 5,
        description: `${n} or more holders of ${vip}`,
        until: (hs) => hs.length >= n,
      });
      return monotonicMs();
    },
    waitFor: (probe, opts) => waitFor(probe, opts),
    observe: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    mark: (name, tMs = monotonicMs()) => {
      recorder.marks[name] = tMs;
      return tMs;
    },
    progress: o.progress,
  };
}

/**
 * A declared transient becomes a concrete window: it may start during the named step or up to maxMs after the
 * step ended (the takeover a step triggers often lands after the step's own wait).
 */
export function resolveTransients(
  declared: readonly AllowedTransient[],
  tl: ScenarioTimeline,
  advertIntervalMs: number,
  toleranceMs: number,
): ResolvedTransient[] {
  return declared.flatMap((d) => {
    const maxMs = d.maxAdverts * advertIntervalMs + toleranceMs;
    const base = { kind: d.kind, maxMs, reason: d.reason };
    if (d.during === 'any') return [{ ...base, fromMs: -Infinity, toMs: Infinity }];
    return tl.steps
      .filter((s) => s.name === d.during)
      .map((s) => ({ ...base, fromMs: s.startMs, toMs: (s.endMs ?? tl.endMs) + maxMs }));
  });
}

export function assertionContext(o: {
  impl: ImplName;
  topology: Topology;
  toleranceMs: number;
  timeline: ScenarioTimeline;
  recorder: RunRecorder;
  declared: readonly AllowedTransient[];
  mac: (host: string) => string | undefined;
}): AssertionContext {
  const routers = routersOf(o.topology);
  const interval = Math.max(...routers.map((h) => rfcBounds(settingsOf(o.topology, h)).advertIntervalMs));
  return {
    impl: o.impl,
    topology: o.topology,
    toleranceMs: o.toleranceMs,
    timeline: o.timeline,
    marks: o.recorder.marks,
    routers,
    vips: vipsOf(o.topology),
    settings: (h) => settingsOf(o.topology, h),
    bounds: (h) => rfcBounds(settingsOf(o.topology, h)),
    mark: (name) => {
      const t = o.recorder.marks[name];
      if (t === undefined) throw new VrrpLabError(`scenario: no mark "${name}" was recorded by the steps`);
      return t;
    },
    allowed: () => resolveTransients(o.declared, o.timeline, interval, o.toleranceMs),
    mac: o.mac,
  };
}
