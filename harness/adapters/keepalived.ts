import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformError } from '../../src/util/errors.js';
import { waitFor } from '../lab/wait-for.js';
import { writeKeepalivedConf } from './keepalived-conf.js';
import type { LabAdapter } from './lab-adapter.js';
import {
  freezeAll,
  isAlive,
  livePidFromFile,
  logTail,
  procState,
  removeStalePidFiles,
  signal,
  terminate,
  thawAll,
  waitExit,
} from './proc.js';
import { unknownStates } from './reported-state.js';
import { protocolProblems } from './settings-checks.js';
import { recordSignal } from './signal-log.js';
import { cleanupStaleVips } from './stale-vips.js';
import type { AdapterHost, ReportedInstanceState } from './types.js';

/** keepalived 2.2.7, VRRP only (-P), one per host, everything under host.dir. */

export function keepalivedFiles(host: AdapterHost) {
  const f = (name: string) => join(host.dir, name);
  return {
    conf: f('keepalived.conf'),
    pid: f('keepalived.pid'),
    vrrpPid: f('keepalived.vrrp.pid'),
    chkPid: f('keepalived.chk.pid'),
    log: f('keepalived.log'),
    /** Written by the VRRP child on the JSON signal into $TMPDIR, which start() sets to host.dir. */
    json: f('keepalived.json'),
  };
}

const START_TIMEOUT_MS = 10_000;
/** keepalived lingers ~1 s after SIGTERM (quirks Q4); leave plenty of room on a loaded 2-core box. */
const STOP_TIMEOUT_MS = 10_000;
const STATE_TIMEOUT_MS = 5_000;

const KEEPALIVED_STATES: Record<number, ReportedInstanceState['state']> = {
  0: 'INIT',
  1: 'BACKUP',
  2: 'MASTER',
  3: 'FAULT',
};

/** Settings keepalived itself rejects or silently rewrites (each verified with `keepalived -t`: exit 5 + warning). */
export function keepalivedProblems(host: AdapterHost): string[] {
  const out: string[] = [];
  for (const inst of host.instances) {
    const tag = `${inst.name} (VRID ${inst.vrid})`;
    if (!inst.preempt && inst.initialState === 'MASTER')
      out.push(`${tag}: keepalived clears nopreempt with state MASTER`);
    if (!inst.preempt && inst.priority === 255) out.push(`${tag}: keepalived clears nopreempt with priority 255`);
    if (inst.preemptDelayS > 0 && !inst.preempt) out.push(`${tag}: keepalived drops preempt_delay with nopreempt`);
    if (inst.preemptDelayS > 0 && inst.initialState === 'MASTER') {
      out.push(`${tag}: keepalived drops preempt_delay with state MASTER`);
    }
    if (inst.preemptDelayS > 1000) out.push(`${tag}: keepalived preempt_delay is at most 1000 s`);
  }
  return out;
}

interface Pids {
  parent?: number;
  child?: number;
}

async function livePids(host: AdapterHost): Promise<Pids> {
  const f = keepalivedFiles(host);
  return { parent: await livePidFromFile(f.pid), child: await livePidFromFile(f.vrrpPid) };
}

let jsonSignum: number | undefined;

/** Real-time signal numbers vary between builds: ask keepalived (36 on Debian 12's 2.2.7). */
async function jsonSignal(host: AdapterHost): Promise<number> {
  if (jsonSignum === undefined) {
    const { stdout } = await host.exec('keepalived', ['--signum=JSON']);
    const n = Number.parseInt(stdout.trim(), 10);
    if (!Number.isInteger(n) || n <= 0) throw new PlatformError(`keepalived --signum=JSON printed "${stdout.trim()}"`);
    jsonSignum = n;
  }
  return jsonSignum;
}

/** One state() at a time per host: concurrent requests would delete each other's dump file. */
const stateLocks = new Map<string, Promise<unknown>>();

async function readDump(host: AdapterHost, parent: number): Promise<ReportedInstanceState[]> {
  const f = keepalivedFiles(host);
  const signum = await jsonSignal(host);
  // Delete first, then wait for the file to appear and parse: mtime is only as fine as the kernel's
  // coarse clock tick, so two dumps a few ms apart can carry the same mtime. A half-written file
  // fails to parse and is simply re-read.
  await rm(f.json, { force: true });
  signal(parent, signum);
  const dump = await waitFor(
    async () => {
      const text = await readFile(f.json, 'utf8');
      return JSON.parse(text) as Array<{
        data?: { iname?: string; vrid?: number; state?: number; effective_priority?: number };
      }>;
    },
    { description: `${f.json} after the JSON signal`, timeoutMs: STATE_TIMEOUT_MS, intervalMs: 10 },
  );
  return dump.map((e) => ({
    instance: e.data?.iname ?? '?',
    vrid: e.data?.vrid ?? 0,
    state: KEEPALIVED_STATES[e.data?.state ?? -1] ?? 'UNKNOWN',
    ...(e.data?.effective_priority === undefined ? {} : { effectivePriority: e.data.effective_priority }),
  }));
}

/** Crash without cleanup (quirks Q3): the parent would respawn a killed VRRP child, so freeze it first. */
async function crashKill(host: AdapterHost, pids: Pids): Promise<void> {
  // Wait until the parent IS stopped (SIGSTOP is asynchronous) before the child dies.
  await freezeAll([pids.parent]);
  if (pids.child !== undefined) signal(pids.child, 'SIGKILL');
  if (pids.parent !== undefined) signal(pids.parent, 'SIGKILL');
  for (const pid of [pids.child, pids.parent]) {
    if (pid !== undefined) await waitExit(pid, STOP_TIMEOUT_MS, 'keepalived');
  }
  // keepalived removes its pid files only on a clean exit.
  const f = keepalivedFiles(host);
  await removeStalePidFiles([f.pid, f.vrrpPid, f.chkPid]);
}

export const keepalivedAdapter: LabAdapter = {
  name: 'keepalived',
  // The RFC 9568 v3 IPv4 checksum (without pseudo-header) is `v3_checksum_as_v2`, new in 2.2.8.
  unsupportedSettings: ['checksum_9568'],

  unsupported(host) {
    return [...protocolProblems(host), ...keepalivedProblems(host)];
  },

  differences() {
    return [];
  },

  async render(host) {
    return writeKeepalivedConf(host, keepalivedFiles(host).conf);
  },

  async start(host) {
    const f = keepalivedFiles(host);
    const running = await livePids(host);
    if (running.parent !== undefined) {
      throw new PlatformError(`keepalived already runs on ${host.name} (pid ${running.parent})`);
    }
    await removeStalePidFiles([f.pid, f.vrrpPid, f.chkPid]);
    const { pid } = await host.spawn(
      'keepalived',
      ['-n', '-l', '-D', '-P', '-f', f.conf, '-p', f.pid, '-r', f.vrrpPid, '-c', f.chkPid, '-i', host.name],
      // TMPDIR: keepalived writes its data/stats/JSON dumps there (default /tmp, shared by all namespaces).
      { logFile: f.log, env: { TMPDIR: host.dir } },
    );
    // Running = the VRRP child wrote its pid file. If the spawned process dies first, say why.
    const outcome = await waitFor(
      async () => ((await livePidFromFile(f.vrrpPid)) !== undefined ? 'running' : !isAlive(pid) && 'exited'),
      { description: `keepalived VRRP child on ${host.name}`, timeoutMs: START_TIMEOUT_MS },
    );
    if (outcome === 'exited') {
      throw new PlatformError(`keepalived on ${host.name} exited at startup:\n${await logTail(f.log)}`);
    }
  },

  async stop(host) {
    const pids = await livePids(host);
    if (pids.parent === undefined) return;
    // The signal time is what a failover measurement must start from (quirks Q4), not stop()'s return.
    recordSignal(host, 'keepalived', 'stop');
    // The parent relays SIGTERM to the VRRP child, which must not stay frozen either.
    if (pids.child !== undefined && procState(pids.child) === 'T') signal(pids.child, 'SIGCONT');
    terminate(pids.parent);
    try {
      await waitExit(pids.parent, STOP_TIMEOUT_MS, `keepalived on ${host.name} after SIGTERM`);
      if (pids.child !== undefined) {
        await waitExit(pids.child, STOP_TIMEOUT_MS, `keepalived VRRP child on ${host.name}`);
      }
    } catch (err) {
      await crashKill(host, await livePids(host));
      throw err;
    }
  },

  async kill(host) {
    const pids = await livePids(host);
    if (pids.parent === undefined && pids.child === undefined) return;
    recordSignal(host, 'keepalived', 'kill');
    await crashKill(host, pids);
  },

  async freeze(host) {
    const pids = await livePids(host);
    recordSignal(host, 'keepalived', 'freeze');
    // The VRRP child is what sends adverts: stop it first, then the parent so it cannot react.
    await freezeAll([pids.child, pids.parent]);
  },

  async thaw(host) {
    const pids = await livePids(host);
    recordSignal(host, 'keepalived', 'thaw');
    await thawAll([pids.child, pids.parent]);
  },

  async state(host) {
    const pids = await livePids(host);
    // Not running, or frozen (a stopped process cannot write the dump): nothing to ask.
    if (pids.parent === undefined || pids.child === undefined) return unknownStates(host);
    if (procState(pids.child) === 'T' || procState(pids.parent) === 'T') return unknownStates(host);
    const parent = pids.parent;
    const prev = stateLocks.get(host.dir) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => readDump(host, parent));
    stateLocks.set(host.dir, next);
    return next;
  },

  cleanupStale(host) {
    return cleanupStaleVips(host).then(() => undefined);
  },
};
