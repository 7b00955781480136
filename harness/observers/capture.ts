import { type ChildProcess, spawn } from 'node:child_process';
import { open, readFile, stat } from 'node:fs/promises';
import { monotonicMs } from '../../src/util/clock.js';
import { CommandError, TimeoutError } from '../../src/util/errors.js';
import { ClockMap, calibrate } from './clock-map.js';
import { type PcapFile, PcapReader, type PcapRecord, parsePcap } from './pcap-file.js';
import { exitStats, lastInfoStats, outstanding, type TcpdumpStats } from './tcpdump-stats.js';

export interface CaptureOptions {
  /** Switch netns that holds the bridge (quirks Q16: capture there, not in a host). */
  netns: string;
  /** Bridge (or any interface) to capture on. */
  iface: string;
  /** Output pcap path. */
  file: string;
  /** Run id; the process gets VRRPLAB_RUN=<runId> so a sweeper can find it after a crash of the runner. */
  runId: string;
  /** Optional BPF filter words, e.g. ['vrrp', 'or', 'arp', 'or', 'icmp6']. */
  filter?: readonly string[];
  /**
   * Snap length. Must stay small: in --immediate-mode libpcap uses a TPACKET_V2 ring whose slots are
   * snaplen-sized, so the default 262144 leaves ~8 slots in the 2 MB buffer and a burst of 50 frames lost 17.
   * Default 2048 (a full Ethernet frame).
   */
  snaplen?: number;
  /** Kernel buffer in KiB (tcpdump -B). Default 8192: with snaplen 2048, ~4000 slots; 2000-frame bursts lose none. */
  bufferKiB?: number;
  startTimeoutMs?: number;
}

export interface CaptureResult {
  file: string;
  stats: TcpdumpStats | undefined;
  /** Packets the kernel accepted but tcpdump had not written when it exited (0 after a successful flush). */
  lostAtStop: number;
  clock: ClockMap;
}

const TCPDUMP = 'tcpdump';

/**
 * One tcpdump per bridge, writing unbuffered (-U, --immediate-mode) with ns timestamps. `start` resolves only once
 * tcpdump printed "listening on" (socket bound) and the pcap header is on disk; `stop` first makes sure
 * everything the kernel accepted is written (SIGUSR1 counters), then sends SIGINT and waits for the exit.
 */
export class Capture implements AsyncDisposable {
  private stderr = '';
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private result: CaptureResult | undefined;
  /** Wall → monotonic mapping for this capture's timestamps (calibrated once tcpdump runs, and again at stop). */
  clock: ClockMap;
  /** Monotonic ms at which the capture was confirmed running. */
  startedMs: number;

  private constructor(
    readonly opts: CaptureOptions,
    private readonly child: ChildProcess,
  ) {
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (s: string) => {
      this.stderr += s;
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
      this.child.on('error', () => {
        this.exitCode = null;
        resolve(null);
      });
    });
    this.startedMs = monotonicMs();
    this.clock = new ClockMap({ wallMs: Date.now(), monoMs: this.startedMs });
  }

  get file(): string {
    return this.opts.file;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get stderrText(): string {
    return this.stderr;
  }

  static async start(opts: CaptureOptions): Promise<Capture> {
    const args = [
      'netns',
      'exec',
      opts.netns,
      TCPDUMP,
      // Debian's tcpdump drops to user "tcpdump" after opening the device, and the run directory is root's.
      '-Z',
      'root',
      '-U',
      '--immediate-mode',
      '--time-stamp-precision=nano',
      '-s',
      String(opts.snaplen ?? 2048),
      '-B',
      String(opts.bufferKiB ?? 8192),
      '-i',
      opts.iface,
      '-w',
      opts.file,
      ...(opts.filter ?? []),
    ];
    // `ip netns exec` execs tcpdump in place, so the child pid is tcpdump's and signals reach it directly.
    const child = spawn('ip', args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, VRRPLAB_RUN: opts.runId },
    });
    const cap = new Capture(opts, child);
    const timeoutMs = opts.startTimeoutMs ?? 5000;
    const t0 = monotonicMs();
    try {
      await cap.until(() => /listening on /.test(cap.stderr), timeoutMs, 'tcpdump "listening on"');
      await cap.untilAsync(
        async () => ((await stat(opts.file).catch(() => undefined))?.size ?? 0) >= 24,
        timeoutMs - (monotonicMs() - t0),
        'pcap header on disk',
      );
    } catch (err) {
      child.kill('SIGKILL');
      await cap.exited;
      if (cap.exitCode !== undefined)
        throw new CommandError('ip', args, cap.exitCode ?? undefined, cap.stderr, opts.netns, { cause: err });
      throw err;
    }
    cap.clock = new ClockMap(calibrate());
    cap.startedMs = monotonicMs();
    return cap;
  }

  /**
   * Wait until tcpdump has written every packet the kernel accepted so far (SIGUSR1 prints the counters).
   * Returns the last counters.
   */
  async flush(timeoutMs = 2000): Promise<TcpdumpStats> {
    const t0 = monotonicMs();
    let last: TcpdumpStats | undefined;
    for (;;) {
      const before = this.stderr.length;
      this.child.kill('SIGUSR1');
      await this.until(
        () => lastInfoStats(this.stderr.slice(before)) !== undefined,
        timeoutMs - (monotonicMs() - t0),
        'tcpdump SIGUSR1 counters',
      );
      last = lastInfoStats(this.stderr.slice(before))!;
      if (outstanding(last) <= 0) return last;
      if (monotonicMs() - t0 > timeoutMs)
        throw new TimeoutError('tcpdump to write every accepted packet', timeoutMs, last);
      await tick();
    }
  }

  /** Flush, SIGINT, wait for exit. Idempotent. */
  async stop(timeoutMs = 5000): Promise<CaptureResult> {
    if (this.result) return this.result;
    if (this.exitCode === undefined) {
      // Best effort: if tcpdump cannot catch up in time we still stop it and report the loss.
      await this.flush(Math.min(2000, timeoutMs)).catch(() => undefined);
    }
    this.clock.end = calibrate();
    if (this.exitCode === undefined) {
      this.child.kill('SIGINT');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    const stats = exitStats(this.stderr);
    this.result = {
      file: this.opts.file,
      stats,
      lostAtStop: stats ? Math.max(0, outstanding(stats)) : 0,
      clock: this.clock,
    };
    return this.result;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Parse the whole file as written so far. */
  async read(): Promise<PcapFile> {
    return parsePcap(await readFile(this.opts.file));
  }

  /**
   * Tail the file until a record satisfies `pred` (records are passed in file order, once each); returns it.
   * Polls every ~2 ms: the file is written by another process, and polling a size is cheaper than inotify setup.
   */
  async waitForRecord(
    pred: (r: PcapRecord) => boolean,
    timeoutMs: number,
    description = 'captured packet',
  ): Promise<PcapRecord> {
    const fh = await open(this.opts.file, 'r');
    const reader = new PcapReader();
    let pos = 0;
    let found: PcapRecord | undefined;
    try {
      await this.untilAsync(
        async () => {
          const { size } = await fh.stat();
          if (size > pos) {
            const buf = Buffer.alloc(size - pos);
            const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
            pos += bytesRead;
            found = reader.push(buf.subarray(0, bytesRead)).find(pred);
          }
          return found !== undefined;
        },
        timeoutMs,
        description,
      );
    } finally {
      await fh.close();
    }
    return found!;
  }

  private async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    await this.untilAsync(async () => cond(), timeoutMs, what);
  }

  private async untilAsync(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const t0 = monotonicMs();
    while (!(await cond())) {
      if (this.exitCode !== undefined)
        throw new CommandError(TCPDUMP, [], this.exitCode ?? undefined, this.stderr, this.opts.netns);
      if (monotonicMs() - t0 > timeoutMs)
        throw new TimeoutError(what, timeoutMs, this.stderr.trim().split('\n').at(-1));
      await tick();
    }
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2));
}

/** One capture per bridge of a run's switch netns, files named `<dir>/<bridge>.pcap`. */
export async function startBridgeCaptures(o: {
  netns: string;
  bridges: readonly string[];
  dir: string;
  runId: string;
  filter?: readonly string[];
}): Promise<Capture[]> {
  const started: Capture[] = [];
  try {
    for (const br of o.bridges) {
      const opts: CaptureOptions = { netns: o.netns, iface: br, file: `${o.dir}/${br}.pcap`, runId: o.runId };
      if (o.filter) opts.filter = o.filter;
      started.push(await Capture.start(opts));
    }
  } catch (err) {
    await Promise.all(started.map((c) => c.stop().catch(() => undefined)));
    throw err;
  }
  return started;
}
