import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { waitFor } from '../lab/wait-for.js';
import { signal } from '../platform/procfs.js';

export { signal };

/**
 * Process helpers for daemons started by the adapters. Pids live in the root pid namespace
 * (AdapterHost.spawn contract), so the harness signals them directly.
 */

/** Single-letter state from /proc/PID/stat ('R', 'S', 'T', 'Z', ...), undefined when the pid is gone. */
export function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: the state follows the LAST ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || undefined;
  } catch {
    return undefined;
  }
}

/** Alive = exists and is not a zombie. `kill -0` succeeds on zombies (docs/quirks.md Q3), /proc does not lie. */
export function isAlive(pid: number): boolean {
  const s = procState(pid);
  return s !== undefined && s !== 'Z' && s !== 'X';
}

export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const n = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * Pid from a pid file, only if that process is alive and its command line mentions the pid file's
 * directory: a pid file left by a crash may name a pid the kernel has since given to an unrelated
 * process, which we must never signal. (Every daemon here is started with its config under that directory.)
 */
export async function livePidFromFile(path: string): Promise<number | undefined> {
  const pid = await readPidFile(path);
  if (pid === undefined || !isAlive(pid)) return undefined;
  return cmdline(pid).includes(dirname(path)) ? pid : undefined;
}

/**
 * A frozen (SIGSTOPped) daemon keeps a SIGTERM pending forever: send SIGCONT after the SIGTERM so a
 * graceful stop of a frozen host still ends with the daemon's own shutdown path (priority 0).
 */
export function terminate(pid: number): void {
  signal(pid, 'SIGTERM');
  if (procState(pid) === 'T') signal(pid, 'SIGCONT');
}

export async function waitExit(pid: number, timeoutMs: number, what: string): Promise<void> {
  await waitFor(() => !isAlive(pid), { description: `${what} (pid ${pid}) to exit`, timeoutMs, intervalMs: 10 });
}

/**
 * SIGSTOP/SIGCONT take effect asynchronously: kill() returns before the target is actually stopped.
 * freeze() must resolve only once the process IS stopped, or a state() right after it still sees a
 * running daemon, signals it and waits for an answer that never comes.
 */
export async function freezeAll(pids: Array<number | undefined>): Promise<void> {
  const live = pids.filter((p): p is number => p !== undefined);
  for (const pid of live) signal(pid, 'SIGSTOP');
  await waitFor(() => live.every((pid) => procState(pid) !== 'S' && procState(pid) !== 'R' && procState(pid) !== 'D'), {
    description: `pids ${live.join(', ')} to stop`,
    timeoutMs: 5000,
    intervalMs: 2,
  });
}

export async function thawAll(pids: Array<number | undefined>): Promise<void> {
  const live = pids.filter((p): p is number => p !== undefined);
  for (const pid of live) signal(pid, 'SIGCONT');
  await waitFor(() => live.every((pid) => procState(pid) !== 'T'), {
    description: `pids ${live.join(', ')} to continue`,
    timeoutMs: 5000,
    intervalMs: 2,
  });
}

/** Remove pid files whose process is gone, so a daemon does not refuse to start ("already running"). */
export async function removeStalePidFiles(paths: string[]): Promise<void> {
  for (const p of paths) {
    if ((await livePidFromFile(p)) === undefined) await rm(p, { force: true });
  }
}

/** Last lines of a log file, for error messages when a daemon dies at startup. */
export async function logTail(path: string, lines = 15): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
