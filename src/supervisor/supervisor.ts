import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { monotonicMs } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { writeFileNoFollow } from '../util/safe-files.js';
import { recoverFromCrash } from './crash-recovery.js';
import { parseCrashState } from './crash-state-format.js';

/**
 * The process that starts the vrrpd worker and outlives it (like keepalived's parent process). It has no
 * state machine and reads no configuration: when the worker dies without its clean shutdown (SIGKILL, an
 * uncaught exception, the OOM killer) it replays the worker's last crash-state file (crash-recovery.ts:
 * priority-0 adverts, VIPs, VMAC interfaces) and starts a new worker unless `restart` is false.
 */
export interface SupervisorOptions {
  /** The worker's command line after the script path (vrrpd flags, always with -n). */
  workerArgs: string[];
  /** The worker program; default this very script under the same node (tests use a stand-in). */
  workerCommand?: string[];
  /** Where the worker writes its crash state (passed to it as --crash-state). */
  stateFile: string;
  pidFile: string;
  restart: boolean;
  log: Logger;
  /** Crash loop guard: at most this many restarts within `crashWindowMs` (default 5 in 60 s). */
  maxRestarts?: number;
  crashWindowMs?: number;
}

const RESTART_DELAY_MS = 100;

export function supervise(o: SupervisorOptions): Promise<number> {
  const log = o.log.child({ role: 'supervisor' });
  const crashes: number[] = [];
  const maxRestarts = o.maxRestarts ?? 5;
  const windowMs = o.crashWindowMs ?? 60_000;
  let worker: ChildProcess | undefined;
  let stopping = false;
  mkdirSync(dirname(o.pidFile), { recursive: true });
  writeFileNoFollow(o.pidFile, `${process.pid}\n`);
  rmSync(o.stateFile, { force: true });

  return new Promise<number>((resolve) => {
    const handlers: [NodeJS.Signals, () => void][] = [
      ['SIGTERM', () => stop('SIGTERM')],
      ['SIGINT', () => stop('SIGINT')],
      ['SIGHUP', () => worker?.kill('SIGHUP')],
      ['SIGUSR1', () => worker?.kill('SIGUSR1')],
    ];
    const finish = (code: number) => {
      for (const [s, h] of handlers) process.off(s, h);
      rmSync(o.pidFile, { force: true });
      resolve(code);
    };
    const start = () => {
      const [cmd, ...pre] = o.workerCommand ?? [process.execPath, ...process.execArgv, process.argv[1] as string];
      const child = spawn(cmd as string, [...pre, ...o.workerArgs, '--crash-state', o.stateFile], { stdio: 'inherit' });
      worker = child;
      log.info('worker started', { pid: child.pid });
      child.on('exit', (code, signal) => onExit(child.pid ?? 0, code, signal));
    };
    const onExit = (pid: number, code: number | null, signal: NodeJS.Signals | null) => {
      worker = undefined;
      const clean = code === 0 && signal === null;
      const state = readState(o.stateFile);
      if (clean) {
        log.info('worker exited', { pid, code });
        return finish(0);
      }
      if (!state) {
        // No crash state: the worker never got its instances running (a config or start-up error it reported).
        log.error('worker failed before it started its instances; not restarting', { pid, code, signal });
        return finish(code ?? 1);
      }
      const report = recoverFromCrash(state);
      rmSync(o.stateFile, { force: true });
      log.error('worker died without its shutdown; released what it held', {
        pid,
        code,
        signal,
        released: report.released,
        advertsSent: report.advertsSent,
        vipsRemoved: report.vipsRemoved,
        linksDeleted: report.linksDeleted,
        ...(report.errors.length > 0 ? { errors: report.errors } : {}),
      });
      if (stopping || !o.restart) return finish(1);
      const now = monotonicMs();
      crashes.push(now);
      while (crashes.length > 0 && now - (crashes[0] as number) > windowMs) crashes.shift();
      if (crashes.length > maxRestarts) {
        log.error('worker keeps dying; giving up', { restarts: crashes.length, windowMs });
        return finish(1);
      }
      setTimeout(() => {
        if (!stopping) start();
      }, RESTART_DELAY_MS);
    };
    const stop = (signal: NodeJS.Signals) => {
      stopping = true;
      log.info('stopping', { signal });
      // The worker does the clean shutdown (priority 0, VIPs removed) and exits 0; exit follows its exit.
      if (worker) worker.kill('SIGTERM');
      else finish(0);
    };
    for (const [s, h] of handlers) process.on(s, h);
    start();
  });
}

function readState(path: string) {
  try {
    return parseCrashState(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
