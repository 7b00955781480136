import type { ImplName } from '../adapters/types.js';
import type { Topology } from '../topology/index.js';
import type { VrrpInstanceSettings } from '../topology/vrrp-settings.js';
import type { ResolvedTransient } from './assertions.js';
import type { RfcBounds } from './bounds.js';
import type { CheckResult, Measurements } from './check.js';
import type { HostHandle } from './host-handle.js';
import type { ScenarioTimeline } from './timeline.js';
import type { TopologySource } from './topology-source.js';

export type BackendName = 'netns' | 'docker';
export type ScenarioStatus = 'pass' | 'fail' | 'skip';

/**
 * A 0- or ≥2-holder window the scenario expects and declares instead of hiding it, e.g. "≤ 1 advert interval
 * of two holders at takeover" (docs/quirks.md Q11: on takeover both nodes hold the VIP for ~10 ms).
 * It is tolerated when it starts during the named step (or up to maxMs after it ends) and lasts at most
 * `maxAdverts` advert intervals + tolerance.
 */
export interface AllowedTransient {
  kind: 'none' | 'multi' | 'any';
  maxAdverts: number;
  /** Step name, or 'any' for the whole run. */
  during: string;
  reason: string;
}

/** Everything a step can do to the lab; each fault is recorded on the timeline, labelled, at the instant before it acts. */
export interface FaultInjector {
  start(host: string): Promise<void>;
  /** Graceful stop: the implementation sends priority 0 (RFC 5798 §6.4.3 Shutdown). */
  stop(host: string): Promise<void>;
  /** SIGKILL of every process of the implementation, no cleanup (docs/quirks.md Q3). */
  crash(host: string): Promise<void>;
  /** Remove what a crashed implementation left live (its VIP, quirks Q2), so it can start clean. */
  cleanupStale(host: string): Promise<void>;
  linkDown(host: string): Promise<void>;
  linkUp(host: string): Promise<void>;
  /** netem loss on the host's link (both directions' egress); returns the undo. */
  loss(host: string, percent: number): Promise<() => Promise<void>>;
  /** Flap the host's link `count` times (down half a period, up half); resolves when it is up again. */
  flap(host: string, o: { periodMs: number; count: number }): Promise<void>;
  nginxFail(host: string): Promise<void>;
  nginxRecover(host: string): Promise<void>;
  /** Drop VRRP to and from the host at the switch (a multicast cut); returns the undo. Backend permitting. */
  dropVrrp?(host: string): Promise<() => Promise<void>>;
  /** SIGSTOP the implementation (a hung daemon); the undo thaws it. Backend permitting. */
  freeze?(host: string): Promise<() => Promise<void>>;
}

/** What a scenario step gets. */
export interface ScenarioContext {
  impl: ImplName;
  backend: BackendName;
  topology: Topology;
  toleranceMs: number;
  faults: FaultInjector;
  /** One host: its faults and zx's `$` inside it (`await ctx.host('r1').$\`ip link set eth0 down\``). */
  host(name: string): HostHandle;
  /** Routers of the topology, in topology order. */
  routers: string[];
  /** The (first) instance of a router. */
  settings(host: string): VrrpInstanceSettings;
  /** VIPs (without prefix) of the first instance of the routers. */
  vips: string[];
  bounds(host: string): RfcBounds;
  /** Hosts currently holding `vip`, from the live holder sampler. */
  holders(vip: string): string[];
  /** Wait until `host` is the only holder of `vip` (or, with `alsoOthers`, at least holds it). Returns the monotonic ms it was seen. */
  waitForHolder(vip: string, host: string, opts: { timeoutMs: number; exclusive?: boolean }): Promise<number>;
  /** Wait until `vip` has ≥ n holders. */
  waitForHolders(vip: string, n: number, opts: { timeoutMs: number }): Promise<number>;
  /** Generic condition wait (harness/lab/wait-for.ts): never a fixed sleep. */
  waitFor<T>(
    probe: () => T | Promise<T>,
    opts: { timeoutMs: number; description: string; until?: (v: T) => boolean },
  ): Promise<T>;
  /**
   * Observe for `ms` (a steady window is part of what a scenario asserts). This is the only wall-clock wait
   * a scenario has, and it is not waiting for convergence: it is the length of the observation.
   */
  observe(ms: number): Promise<void>;
  /** Record a named instant (monotonic ms) for the assertions. */
  mark(name: string, tMs?: number): number;
  progress(message: string): void;
}

/** What the assertions get once the run is over. */
export interface AssertionContext {
  impl: ImplName;
  topology: Topology;
  toleranceMs: number;
  timeline: ScenarioTimeline;
  marks: Record<string, number>;
  routers: string[];
  vips: string[];
  settings(host: string): VrrpInstanceSettings;
  bounds(host: string): RfcBounds;
  /** A mark that must exist (throws a readable error when a step did not set it). */
  mark(name: string): number;
  /** Resolve the scenario's declared transients against the timeline's steps. */
  allowed(): ResolvedTransient[];
  /** MAC of a host's VRRP interface, when the lab knows it. */
  mac(host: string): string | undefined;
}

export interface ScenarioStep {
  name: string;
  run(ctx: ScenarioContext): Promise<void>;
}

export interface Scenario {
  name: string;
  description: string;
  /** A variant of a core scenario (e.g. 'ipv6'): a separate cell of the matrix `--shard` splits. */
  variant?: string;
  topology: TopologySource;
  steps: ScenarioStep[];
  assertions(ctx: AssertionContext): CheckResult[];
  allowedTransients?: AllowedTransient[];
  /** Which measurement the drill's matrix shows in a cell. */
  keyMeasurement?: string;
  /** Upper bound on the scenario's wall time (steps only); default 60 s. */
  timeoutMs?: number;
}

export interface ScenarioResult {
  name: string;
  description?: string;
  status: ScenarioStatus;
  durationMs: number;
  measurements: Measurements;
  failures: string[];
  /** Why the scenario was skipped. */
  skipReason?: string;
  timeline: ScenarioTimeline;
  /** Named instants the steps recorded (monotonic ms, same axis as the timeline). */
  marks: Record<string, number>;
  keyMeasurement?: string;
  runId?: string;
  /** Run directory kept for a failed scenario (captures, daemon logs, manifest). */
  artifactsDir?: string;
}

export interface ProgressEvent {
  scenario: string;
  /** 'setup', a step name, 'assert' or 'teardown'. */
  step: string;
  elapsedMs: number;
  message?: string;
}
