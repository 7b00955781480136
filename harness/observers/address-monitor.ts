import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { monotonicMs } from '../../src/util/clock.js';
import { CommandError, TimeoutError } from '../../src/util/errors.js';
import { ClockMap, calibrate } from './clock-map.js';
import { type HolderChange, HolderLog } from './holder-log.js';
import { type VipKey, vipKey } from './ip-text.js';

/** One address event printed by `ip -ts monitor address` (first line of each message). */
export interface AddressEvent {
  /** Wall-clock ms from ip's own timestamp (taken when ip received the netlink message). */
  wallMs: number;
  deleted: boolean;
  ifname: string;
  family: 4 | 6;
  address: string;
  prefixLen: number;
  tentative: boolean;
}

// [2026-11-25T14:50:50.322311] Deleted 2: eth0    inet 10.98.0.254/24 scope global secondary eth0
const LINE =
  /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?\]\s+(Deleted\s+)?\d+:\s+(\S+)\s+(inet6?)\s+([0-9a-fA-F.:]+)\/(\d+)(.*)$/;

/** Parse one line; the child runs with TZ=UTC so the timestamp is UTC. Continuation lines return undefined. */
export function parseMonitorLine(line: string): AddressEvent | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const frac = m[2] ?? '0';
  return {
    wallMs: Date.parse(`${m[1]}Z`) + Number(`0.${frac}`) * 1000,
    deleted: m[3] !== undefined,
    ifname: m[4]!,
    family: m[5] === 'inet6' ? 6 : 4,
    address: m[6]!,
    prefixLen: Number(m[7]),
    tentative: /\b(tentative|dadfailed)\b/.test(m[8]!),
  };
}

/**
 * Event mode for one host: a long-lived `ip -n NS -ts monitor address` reports address changes as the kernel
 * makes them, stamped by ip on receipt (µs, wall clock, mapped to monotonic). Latency is ~1 ms instead of up to
 * one sampling period, but it sees only addresses: FRR's protodown (quirks Q19) needs the sampling observer
 * with a custom probe. It forks one process per host, and reports nothing about the state before it started:
 * pass `initiallyHeld` from a first /proc sample taken after `start` resolved.
 */
export class AddressMonitor implements AsyncDisposable {
  readonly log = new HolderLog();
  private readonly keys: VipKey[];
  private held = new Map<string, boolean>();
  private buf = '';
  private stderr = '';
  private exitCode: number | null | undefined;
  private exited: Promise<void>;
  private clock = new ClockMap(calibrate());

  private constructor(
    readonly host: string,
    readonly netns: string,
    vips: readonly string[],
    private readonly child: ChildProcess,
    private readonly onChange?: (e: HolderChange) => void,
  ) {
    this.keys = vips.map(vipKey);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => this.onData(s));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      this.stderr += s;
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code) => {
        this.exitCode = code;
        resolve();
      });
      child.on('error', () => {
        this.exitCode = null;
        resolve();
      });
    });
  }

  static async start(o: {
    host: string;
    netns: string;
    vips: readonly string[];
    runId: string;
    onChange?: (e: HolderChange) => void;
    timeoutMs?: number;
  }): Promise<AddressMonitor> {
    const args = ['-n', o.netns, '-ts', 'monitor', 'address'];
    const child = spawn('ip', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TZ: 'UTC', VRRPLAB_RUN: o.runId },
    });
    const mon = new AddressMonitor(o.host, o.netns, o.vips, child, o.onChange);
    const t0 = monotonicMs();
    // Subscribed = it has its netlink socket and sleeps in recvmsg. ip prints nothing at start, so look at /proc.
    while (!(await subscribed(child.pid))) {
      if (mon.exitCode !== undefined)
        throw new CommandError('ip', args, mon.exitCode ?? undefined, mon.stderr, o.netns);
      if (monotonicMs() - t0 > (o.timeoutMs ?? 5000)) {
        await mon.stop();
        throw new TimeoutError(`ip monitor in ${o.netns} to subscribe`, o.timeoutMs ?? 5000);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    return mon;
  }

  /** Seed the state (from a /proc sample taken after start) so the first event is a real change. */
  seed(held: Iterable<string>, tMs = monotonicMs()): void {
    const set = new Set(held);
    for (const k of this.keys) {
      if (this.held.has(k.vip)) continue;
      const e: HolderChange = { tMs, host: this.host, vip: k.vip, held: set.has(k.vip), initial: true };
      this.held.set(k.vip, e.held);
      this.log.add(e);
    }
  }

  async stop(): Promise<HolderLog> {
    if (this.exitCode === undefined) {
      this.child.kill('SIGTERM');
      await this.exited;
    }
    this.log.observed(monotonicMs());
    return this.log;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private onData(s: string): void {
    this.buf += s;
    const lines = this.buf.split('\n');
    this.buf = lines.pop()!;
    for (const line of lines) {
      const ev = parseMonitorLine(line);
      if (!ev) continue;
      const key = vipKey(ev.address);
      const k = this.keys.find((x) => x.family === key.family && x.key === key.key);
      if (!k) continue;
      const held = !ev.deleted && !ev.tentative;
      if (this.held.get(k.vip) === held) continue;
      this.held.set(k.vip, held);
      const e: HolderChange = { tMs: this.clock.toMono(ev.wallMs), host: this.host, vip: k.vip, held };
      this.log.add(e);
      this.onChange?.(e);
    }
  }
}

async function subscribed(pid: number | undefined): Promise<boolean> {
  if (pid === undefined) return false;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'S') return false;
    const fds = await readdir(`/proc/${pid}/fd`);
    const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
    return links.some((l) => l.startsWith('socket:'));
  } catch {
    return false;
  }
}
