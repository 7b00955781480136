import { readdir, readFile, readlink, stat } from 'node:fs/promises';

/** Numeric entries of /proc, i.e. every process visible to us. */
export async function listPids(): Promise<number[]> {
  const entries = await readdir('/proc');
  const pids: number[] = [];
  for (const e of entries) {
    const n = Number(e);
    if (Number.isInteger(n) && n > 0) pids.push(n);
  }
  return pids;
}

export interface ProcStat {
  pid: number;
  /** R, S, D, T (stopped), Z (zombie), ... */
  state: string;
  ppid: number;
  /** Start time in clock ticks since boot: with the pid it identifies a process across pid reuse. */
  startTime: number;
}

/** Parse /proc/PID/stat; undefined when the process is gone. */
export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm (field 2) is in parentheses and may itself contain spaces or ')': split after the LAST ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: rest[0] ?? '?', ppid: Number(rest[1]), startTime: Number(rest[19]) };
}

/**
 * Whether the process runs (zombies count as dead: `kill -0` succeeds on them, docs/quirks.md Q3).
 * With `startTime`, a recycled pid belonging to another process also counts as dead.
 */
export async function isAlive(pid: number, startTime?: number): Promise<boolean> {
  const st = await readProcStat(pid);
  if (st === undefined || st.state === 'Z' || st.state === 'X') return false;
  return startTime === undefined || st.startTime === startTime;
}

/** Value of one variable in /proc/PID/environ (the environment the process was started with). */
export async function readEnvVar(pid: number, name: string): Promise<string | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(`/proc/${pid}/environ`);
  } catch {
    return undefined;
  }
  const prefix = `${name}=`;
  for (const entry of buf.toString('utf8').split('\0')) {
    if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  }
  return undefined;
}

/** Pids whose environment has NAME=VALUE (how we find every process a run started, munet-style). */
export async function pidsWithEnv(name: string, value: string): Promise<number[]> {
  const pids = await listPids();
  const tagged = await Promise.all(pids.map(async (p) => ((await readEnvVar(p, name)) === value ? p : undefined)));
  return tagged.filter((p): p is number => p !== undefined && p !== process.pid);
}

/** Inode of a named netns (/run/netns/NAME), or undefined when it does not exist. */
export async function netnsInode(name: string): Promise<number | undefined> {
  try {
    return (await stat(`/run/netns/${name}`)).ino;
  } catch {
    return undefined;
  }
}

/**
 * `ip netns pids` for several namespaces with one scan of /proc and no fork: a process is in a
 * netns when /proc/PID/ns/net links to `net:[<inode of /run/netns/NAME>]`.
 */
export async function pidsInNetns(names: readonly string[]): Promise<Map<string, number[]>> {
  const byInode = new Map<string, string>();
  const result = new Map<string, number[]>();
  for (const n of names) {
    const ino = await netnsInode(n);
    if (ino !== undefined) {
      byInode.set(`net:[${ino}]`, n);
      result.set(n, []);
    }
  }
  if (byInode.size === 0) return result;
  for (const pid of await listPids()) {
    let link: string;
    try {
      link = await readlink(`/proc/${pid}/ns/net`);
    } catch {
      continue;
    }
    const ns = byInode.get(link);
    if (ns !== undefined) result.get(ns)?.push(pid);
  }
  return result;
}

/** Direct children of a process (nginx workers outlive a SIGKILLed master: docs/quirks.md Q15). */
export async function childPids(ppid: number): Promise<number[]> {
  const stats = await Promise.all((await listPids()).map((p) => readProcStat(p)));
  return stats.filter((s): s is ProcStat => s !== undefined && s.ppid === ppid).map((s) => s.pid);
}

/** Send a signal, ignoring "no such process". */
export function signal(pid: number, sig: NodeJS.Signals | number): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}
