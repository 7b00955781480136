/** The document `vrrpd status --json` prints and SIGUSR1 writes; the harness adapter parses it. */
export interface InstanceStatus {
  name: string;
  interface: string;
  family: 4 | 6;
  vrid: number;
  version: 2 | 3;
  state: 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';
  basePriority: number;
  effectivePriority: number;
  advertIntervalCs: number;
  masterAdverIntervalCs: number;
  master: { address: string; priority: number } | null;
  vips: string[];
  vipsInstalled: boolean;
  preempt: boolean;
  timers: { masterDownInMs: number | null; adverInMs: number | null };
  tracking: { name: string; kind: 'script' | 'interface' | 'file' | 'process'; weight: number; up: boolean | null }[];
  counters: {
    advertsSent: number;
    advertsReceived: number;
    transitions: number;
    becameMaster: number;
    priorityZeroSent: number;
    priorityZeroReceived: number;
    garpsSent: number;
    /** Packets dropped for this instance, each counted once (`drops` counts each reason). */
    dropped: number;
    drops: Record<string, number>;
  };
  lastTransition: { from: string; to: string; reason: string; monoMs: number } | null;
}

export interface DaemonStatus {
  pid: number;
  version: string;
  configFile: string;
  /** global_defs router_id, else the host name (keepalived's default). */
  routerId: string;
  startedMonoMs: number;
  uptimeMs: number;
  instances: InstanceStatus[];
  /** Packets dropped before they could be matched to an instance (not VRRP, bad checksum, unknown VRID...). */
  drops: Record<string, number>;
  /** Packets dropped before matching an instance, each counted once. */
  dropped: number;
}
