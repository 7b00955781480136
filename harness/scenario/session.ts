import type { ImplName } from '../adapters/types.js';
import type { Topology } from '../topology/index.js';
import type { ScenarioTimeline } from './timeline.js';
import type { BackendName } from './types.js';

/**
 * What the scenario runner needs from a built lab with its observers running. The netns implementation
 * (netns-session.ts) wraps the harness's Lab, adapters and observers; unit tests use a fake.
 */
export interface LabSession {
  readonly runId: string;
  readonly runDir: string;
  start(host: string): Promise<void>;
  stop(host: string): Promise<void>;
  kill(host: string): Promise<void>;
  cleanupStale(host: string): Promise<void>;
  linkDown(host: string): Promise<void>;
  linkUp(host: string): Promise<void>;
  loss(host: string, percent: number): Promise<() => Promise<void>>;
  /** Toggle the host's link `count` times, one cycle per `periodMs`; resolves when the link is up again. */
  flap(host: string, o: { periodMs: number; count: number }): Promise<void>;
  nginxFail(host: string): Promise<void>;
  nginxRecover(host: string): Promise<void>;
  /** Optional impairments (the netns backend has them): the returned function undoes it. */
  impairment?(kind: 'drop-vrrp' | 'freeze', host: string): Promise<() => Promise<void>>;
  /** Live: hosts holding `vip` (without prefix) at the last sample. */
  holders(vip: string): string[];
  mac(host: string): string | undefined;
  /** The argv prefix that runs a command inside `host` (its netns or container) and the env to add. */
  shell?(host: string): { prefix: string[]; env: Record<string, string> };
  /**
   * Stop the observers and return what they saw (holders, states, adverts, GARPs). The runner adds the
   * faults and steps it recorded itself. Called once, before destroy().
   */
  finish(): Promise<Omit<ScenarioTimeline, 'faults' | 'steps'>>;
  /**
   * Stop every process and remove every namespace of the run. Idempotent; never throws for "already gone".
   * `keepDir` keeps the run directory (pcaps, logs, manifest) for a failed scenario.
   */
  destroy(opts?: { keepDir?: boolean }): Promise<void>;
}

export interface OpenOptions {
  impl: ImplName;
  /** Parent of the run directory; the backend's default when absent. */
  runsDir?: string;
  /** Monotonic ms origin of the run (timeline t0). */
  t0Ms: number;
}

export interface SessionFactory {
  readonly backend: BackendName;
  /** Why this backend cannot run here (undefined = it can), e.g. "docker: daemon not reachable". */
  unavailable(): Promise<string | undefined>;
  /** Settings the implementation cannot express for this topology (empty = runnable), per the adapter. */
  unsupported(topology: Topology, impl: ImplName): Promise<string[]>;
  open(topology: Topology, opts: OpenOptions): Promise<LabSession>;
}
