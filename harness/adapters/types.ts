import type { VrrpInstanceSettings } from '../topology/vrrp-settings.js';
import type { Setting } from './capabilities.js';

/**
 * An implementation's name as reports, manifests and `--impl` show it: a built-in (BUILT_IN_IMPLS in
 * registry.ts) or the `name` of an adapter file. Open: any implementation can be plugged in.
 */
export type ImplName = string;

/** What an adapter needs to know about the host it runs on; built by the backend from the topology. */
export interface AdapterHost {
  runId: string;
  /** Host name in the topology (e.g. "r1"). */
  name: string;
  /** Directory private to this host inside the run directory (configs, pid files, logs). */
  dir: string;
  /** The VRRP-facing interface name inside the host (e.g. "eth0"). */
  ifname: string;
  /** This host's own addresses on that interface, with prefix ("10.0.0.11/24"). */
  addresses: string[];
  /** Addresses (no prefix) of every other VRRP host on the same link, for unicast peers. */
  peers: string[];
  instances: VrrpInstanceSettings[];
  /** The command that checks this host's nginx (exit 0 = healthy); substituted for {{nginxCheck}}. */
  nginxCheck?: string;
  /** Run a command inside the host (netns or container); throws CommandError on non-zero exit. */
  exec(
    cmd: string,
    args: string[],
    opts?: { env?: Record<string, string>; input?: string },
  ): Promise<{ stdout: string; stderr: string }>;
  /** Start a long-running process inside the host; returns its pid (in the root pid namespace). */
  spawn(cmd: string, args: string[], opts: { logFile: string; env?: Record<string, string> }): Promise<{ pid: number }>;
}

/** State of one instance as reported by the implementation itself. */
export interface ReportedInstanceState {
  instance: string;
  vrid: number;
  state: 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'UNKNOWN';
  effectivePriority?: number;
}

export interface ImplementationAdapter {
  readonly name: ImplName;
  /** Settings this implementation cannot express for this host (empty = fully supported). */
  unsupported(host: AdapterHost): string[];
  /** Settings of the shared vocabulary it cannot express at all: conformance cases needing one are skipped. */
  readonly unsupportedSettings?: readonly Setting[];
  /** Write configuration files for the host; returns the paths written. */
  render(host: AdapterHost): Promise<string[]>;
  /** Start the implementation on the host (after render). Resolves once the process runs. */
  start(host: AdapterHost): Promise<void>;
  /** Graceful stop (SIGTERM or equivalent): the implementation should send priority 0. Resolves when it exited. */
  stop(host: AdapterHost): Promise<void>;
  /** Crash: kill without any cleanup (SIGKILL of every process of the implementation). */
  kill(host: AdapterHost): Promise<void>;
  /** Freeze / thaw (SIGSTOP / SIGCONT). */
  freeze(host: AdapterHost): Promise<void>;
  thaw(host: AdapterHost): Promise<void>;
  /** Ask the implementation for its view of its instances. */
  state(host: AdapterHost): Promise<ReportedInstanceState[]>;
  /**
   * Whether this host currently holds VIP `vip` in the data plane, for implementations where
   * "address present" is not the answer (FRR keeps the VIP on a protodown macvlan). Undefined = address presence.
   */
  holderInterface?(host: AdapterHost, vip: string): string | undefined;
}
