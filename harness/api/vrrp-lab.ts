import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { monotonicMs } from '../../src/util/clock.js';
import { VrrpLabError } from '../../src/util/errors.js';
import { isAdapterPath, knownAdapters } from '../adapters/registry.js';
import type { ImplName } from '../adapters/types.js';
import { assertionContext, RunRecorder, scenarioContext } from '../scenario/context.js';
import type { HostHandle } from '../scenario/host-handle.js';
import { prepareSession } from '../scenario/prepare.js';
import { DEFAULT_TOLERANCE_MS } from '../scenario/run-scenario.js';
import type { LabSession, SessionFactory } from '../scenario/session.js';
import { startAll } from '../scenario/steps.js';
import type { ScenarioTimeline } from '../scenario/timeline.js';
import { resolveTopology, type TopologyOverrides, type TopologySource } from '../scenario/topology-source.js';
import type { AssertionContext, BackendName, ScenarioContext } from '../scenario/types.js';
import type { Topology, TopologyInput } from '../topology/index.js';

/** The lab could not be built here: the backend is missing, or the implementation cannot express the topology. */
export class LabUnavailableError extends VrrpLabError {
  override readonly name = 'LabUnavailableError';
}

/**
 * A topology object, or a YAML file: a path (relative to the working directory), or the name of a
 * topology shipped in scenarios/topologies ('three-hosts.yaml', 'seed-pair.yaml').
 */
export type TopologyArg = TopologyInput | string;

function topologySource(t: TopologyArg, overrides: TopologyOverrides | undefined): TopologySource {
  const o = overrides === undefined ? {} : { overrides };
  if (typeof t !== 'string') return { inline: t, ...o };
  return { file: existsSync(t) ? resolve(t) : t, ...o };
}

/**
 * Builder of a lab, in the style testcontainers users know:
 *
 *   await using lab = await new VrrpLab('three-hosts.yaml').withImplementation('keepalived').start();
 *   await lab.host('r1').crash();
 *   await lab.waitForHolder('10.99.0.254', 'r2', { timeoutMs: 10_000 });
 *
 * Plain JavaScript on Node 20 (no `using`) calls `await lab[Symbol.asyncDispose]()` in a `finally`.
 */
export class VrrpLab {
  private impl: ImplName = 'vrrpd';
  private backend: BackendName = 'netns';
  private runsDir: string | undefined;
  private overrides: TopologyOverrides | undefined;
  private daemons = true;
  private sessions: SessionFactory | undefined;
  private toleranceMs = DEFAULT_TOLERANCE_MS;

  constructor(private readonly topology: TopologyArg) {}

  /**
   * vrrpd (default), keepalived, frr, or the path of an adapter file (resolved when the lab starts); every
   * router runs it unless its topology entry pins another.
   */
  withImplementation(spec: string): this {
    if (!isAdapterPath(spec) && !knownAdapters().includes(spec))
      throw new VrrpLabError(`unknown implementation "${spec}" (${knownAdapters().join(', ')}, or an adapter file)`);
    this.impl = spec;
    return this;
  }

  /** netns (default) or docker (containers; the engine from DOCKER_HOST or scripts/start-docker.sh). */
  withBackend(name: BackendName): this {
    this.backend = name;
    return this;
  }

  /** Parent of the run directory (default $VRRPLAB_RUNS_DIR or /run/vrrp-lab). */
  withRunsDir(dir: string): this {
    this.runsDir = dir;
    return this;
  }

  /** Changes applied to the topology before validation ("the seed pair, but with unicast"). */
  withOverrides(o: TopologyOverrides): this {
    this.overrides = o;
    return this;
  }

  /** Build the topology but do not start the implementation (start hosts with `lab.host(h).start()`). */
  withDaemonsStopped(): this {
    this.daemons = false;
    return this;
  }

  /** Added to the RFC bounds `lab.bounds()` reports to assertions (ms). */
  withTolerance(ms: number): this {
    this.toleranceMs = ms;
    return this;
  }

  /** Build labs with this factory instead of the backend's (e.g. a fake in unit tests). */
  withSessionFactory(f: SessionFactory): this {
    this.sessions = f;
    return this;
  }

  /**
   * Build the topology, start the observers (VIP holders, captures, state changes) and, unless
   * withDaemonsStopped(), the implementation on every router. Throws LabUnavailableError with the reason
   * when this machine or implementation cannot run it; anything built is removed on failure.
   */
  async start(): Promise<StartedVrrpLab> {
    const t0Ms = monotonicMs();
    const topology = await resolveTopology(topologySource(this.topology, this.overrides));
    const prepared = await prepareSession(topology, {
      impl: this.impl,
      backend: this.backend,
      ...(this.sessions === undefined ? {} : { sessions: this.sessions }),
    });
    if (prepared.skipReason !== undefined) throw new LabUnavailableError(prepared.skipReason);
    const session = await prepared.factory.open(topology, {
      impl: this.impl,
      t0Ms,
      ...(this.runsDir === undefined ? {} : { runsDir: this.runsDir }),
    });
    const lab = new StartedVrrpLab(session, topology, this.impl, this.backend, this.toleranceMs);
    try {
      if (this.daemons) await startAll(lab.context);
    } catch (err) {
      await lab.stop();
      throw err;
    }
    return lab;
  }
}

/** A running lab: hosts to act on, live VIP holders, and the timeline of what happened. */
export class StartedVrrpLab implements AsyncDisposable {
  /** The scenario API's context: what a scenario step gets (custom drills use the same). */
  readonly context: ScenarioContext;
  private readonly recorder = new RunRecorder();
  private seen: ScenarioTimeline | undefined;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly session: LabSession,
    readonly topology: Topology,
    readonly impl: ImplName,
    readonly backend: BackendName,
    readonly toleranceMs: number,
  ) {
    this.context = scenarioContext({
      impl,
      backend,
      topology,
      toleranceMs,
      session,
      recorder: this.recorder,
      progress: () => {},
    });
  }

  get runId(): string {
    return this.session.runId;
  }

  /** The run's directory: manifest, per-host configs and logs, captures. */
  get runDir(): string {
    return this.session.runDir;
  }

  /** Routers of the topology, in topology order. */
  get routers(): string[] {
    return this.context.routers;
  }

  /** The VIPs (no prefix) of the routers' first instances. */
  get vips(): string[] {
    return this.context.vips;
  }

  /** Named instants (monotonic ms, the timeline's axis): 'start', 'running:<host>', and yours from mark(). */
  get marks(): Readonly<Record<string, number>> {
    return this.recorder.marks;
  }

  host(name: string): HostHandle {
    return this.context.host(name);
  }

  /** Names of the hosts holding `vip` (no prefix) at the last sample (200 Hz). */
  holders(vip: string): string[] {
    return this.context.holders(vip);
  }

  waitForHolder(vip: string, host: string, opts: { timeoutMs: number; exclusive?: boolean }): Promise<number> {
    return this.context.waitForHolder(vip, host, opts);
  }

  waitForHolders(vip: string, n: number, opts: { timeoutMs: number }): Promise<number> {
    return this.context.waitForHolders(vip, n, opts);
  }

  /** Wait on any condition (never a fixed sleep): probe until `until` holds, or TimeoutError. */
  waitFor<T>(
    probe: () => T | Promise<T>,
    opts: { timeoutMs: number; description: string; until?: (v: T) => boolean },
  ): Promise<T> {
    return this.context.waitFor(probe, opts);
  }

  mark(name: string, tMs?: number): number {
    return this.context.mark(name, tMs);
  }

  /**
   * Stop observing and return everything seen since start(): VIP holders, daemon states, captured adverts
   * and GARPs, and the faults injected through host(). The first call ends the observation (captures are
   * flushed and parsed); later calls return the same timeline. The lab keeps running until disposed.
   */
  async timeline(): Promise<ScenarioTimeline> {
    if (!this.seen) {
      const tl = await this.session.finish();
      this.seen = { ...tl, faults: this.recorder.faults, steps: this.recorder.steps };
    }
    return this.seen;
  }

  /** The scenario assertions' context over timeline(): RFC bounds, marks, routers, transients. */
  async assertions(): Promise<AssertionContext> {
    return assertionContext({
      impl: this.impl,
      topology: this.topology,
      toleranceMs: this.toleranceMs,
      timeline: await this.timeline(),
      recorder: this.recorder,
      declared: [],
      mac: (h) => this.session.mac(h),
    });
  }

  /** Stop every process and remove every namespace/container of the run. Idempotent. */
  stop(opts: { keepDir?: boolean } = {}): Promise<void> {
    this.stopped ??= this.session.destroy(opts);
    return this.stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
