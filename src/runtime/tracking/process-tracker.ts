import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import type { TrackProcess } from '../../config/model.js';

/** A running process as track_process sees it: its name (/proc/PID/comm) and, when needed, its argv. */
export interface ProcessInfo {
  comm: string;
  argv?: string[];
}

/** Longest process name the kernel keeps (TASK_COMM_LEN − 1): longer configured names match on this prefix. */
const COMM_LEN = 15;

/**
 * Every running process under `procRoot` (zombies and dead tasks excluded: they do not run, as in keepalived).
 * argv (/proc/PID/cmdline) is read only when asked. A process that exits during the scan is skipped.
 */
export function scanProcesses(withArgv: boolean, procRoot = '/proc'): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const pid of readdirSync(procRoot)) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`${procRoot}/${pid}/stat`, 'latin1');
      // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, so it ends at the last ')'.
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      const state = stat[close + 2];
      if (open < 0 || close < open || state === 'Z' || state === 'X') continue;
      const p: ProcessInfo = { comm: stat.slice(open + 1, close) };
      if (withArgv) {
        const cmdline = readFileSync(`${procRoot}/${pid}/cmdline`, 'latin1');
        p.argv = cmdline.split('\0').filter((a, i, all) => i < all.length - 1 || a !== '');
      }
      out.push(p);
    } catch {
      // gone between readdir and read
    }
  }
  return out;
}

/** Whether the definition needs argv (parameters, or the full command line). */
export function needsArgv(tp: TrackProcess): boolean {
  return tp.fullCommand || tp.paramMatch !== 'none';
}

/**
 * keepalived.conf(5) vrrp_track_process: the name is matched exactly (not as a pattern) against the process
 * name, or against argv[0] with `full_command`; PARAMs against argv[1..]: `exact` all of them, `partial` the
 * first n, `initial` all with the last one a prefix.
 */
export function matchesProcess(tp: TrackProcess, p: ProcessInfo): boolean {
  const nameOk = tp.fullCommand ? p.argv?.[0] === tp.process : p.comm === tp.process.slice(0, COMM_LEN);
  if (!nameOk) return false;
  if (tp.paramMatch === 'none') return true;
  const args = p.argv?.slice(1) ?? [];
  const want = tp.params;
  const n = want.length;
  const firstEqual = (k: number) => want.slice(0, k).every((w, i) => args[i] === w);
  switch (tp.paramMatch) {
    case 'exact':
      return args.length === n && firstEqual(n);
    case 'partial':
      return args.length >= n && firstEqual(n);
    case 'initial':
      return args.length === n && firstEqual(n - 1) && (n === 0 || (args[n - 1] ?? '').startsWith(want[n - 1] ?? ''));
  }
}

/**
 * One vrrp_track_process: up while quorum ≤ running matches ≤ quorum_max. A gained quorum counts only after
 * fork_delay, a lost one after terminate_delay (a restart within the delay is no change). The first count
 * decides at once.
 */
export class ProcessTracker extends EventEmitter<{ change: [up: boolean] }> {
  up: boolean | undefined;
  count = 0;
  private pending: { to: boolean; timer: NodeJS.Timeout } | undefined;

  constructor(readonly def: TrackProcess) {
    super();
  }

  update(count: number): void {
    this.count = count;
    const now = count >= this.def.quorum && count <= this.def.quorumMax;
    if (this.up === undefined) {
      this.up = now;
      return;
    }
    if (now === this.up) {
      this.cancel();
      return;
    }
    if (this.pending?.to === now) return;
    this.cancel();
    const delayS = now ? this.def.forkDelay : this.def.terminateDelay;
    if (delayS <= 0) {
      this.set(now);
      return;
    }
    this.pending = { to: now, timer: setTimeout(() => this.set(now), delayS * 1000) };
  }

  stop(): void {
    this.cancel();
  }

  private set(up: boolean): void {
    this.pending = undefined;
    this.up = up;
    this.emit('change', up);
  }

  private cancel(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }
}

/**
 * Counts the matches of every tracker from one scan of /proc, now and every `intervalMs`. keepalived 2.2.7
 * listens to the kernel's process-events connector instead, which only exists in the initial network
 * namespace: in any other (a container, a lab host) it logs "Failed to set/clear process event listen" and
 * keeps the state it saw at start-up (docs/quirks.md Q48). Polling works in every namespace.
 */
export class ProcessScanner {
  private timer: NodeJS.Timeout | undefined;
  private readonly withArgv: boolean;

  constructor(
    private readonly trackers: readonly ProcessTracker[],
    private readonly intervalMs = 200,
    private readonly procRoot = '/proc',
  ) {
    this.withArgv = trackers.some((t) => needsArgv(t.def));
  }

  /** One scan now (so every tracker has its first state before the instances start), then periodic. */
  start(): void {
    this.scan();
    this.timer = setInterval(() => this.scan(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  scan(): void {
    if (this.trackers.length === 0) return;
    const procs = scanProcesses(this.withArgv, this.procRoot);
    for (const t of this.trackers) t.update(procs.filter((p) => matchesProcess(t.def, p)).length);
  }
}
