import { readdir, rm } from 'node:fs/promises';
import { waitFor } from '../../lab/wait-for.js';
import { isAlive, pidsInNetns, pidsWithEnv, signal } from '../../platform/procfs.js';
import { ipBatch } from '../../platform/run.js';
import { netnsPrefix, RUN_ENV } from './names.js';

export interface TeardownTarget {
  runId: string;
  /** Namespaces recorded in the manifest (may be partly created or already gone). */
  netns: readonly string[];
  /** Run directory to remove (omit to keep it). */
  dir?: string;
}

/** Named namespaces of this run that exist now: the manifest's plus any `vl-<rid>-*` (scoped by run id). */
async function existingNetns(t: TeardownTarget): Promise<string[]> {
  let names: string[] = [];
  try {
    names = await readdir('/run/netns');
  } catch {
    return [];
  }
  const prefix = netnsPrefix(t.runId);
  const wanted = new Set(t.netns);
  return names.filter((n) => wanted.has(n) || n.startsWith(prefix));
}

/** Every process of the run: tagged VRRPLAB_RUN=<rid> anywhere, or living in one of its namespaces. */
export async function runProcesses(runId: string, netns: readonly string[]): Promise<number[]> {
  const [tagged, inNs] = await Promise.all([pidsWithEnv(RUN_ENV, runId), pidsInNetns(netns)]);
  const all = new Set<number>(tagged);
  for (const pids of inNs.values()) for (const p of pids) all.add(p);
  all.delete(process.pid);
  return [...all];
}

/**
 * Remove everything of one run, from its record alone, idempotently: kill its processes first
 * (`ip netns del` only unmounts the name; a live process keeps the namespace and its veths alive),
 * then delete its namespaces (their veths, bridges and nft tables go with them), then its directory.
 */
export async function teardownRun(t: TeardownTarget): Promise<void> {
  // 1. Stop everything tagged first (an orphaned `ip -batch` of a killed owner may still be creating
  //    namespaces), repeating while tagged processes keep appearing (a dying parent's children).
  for (let round = 0; round < 5; round++) {
    const tagged = await pidsWithEnv(RUN_ENV, t.runId);
    if (tagged.length === 0) break;
    await killAndWait(t.runId, tagged);
  }
  // 2. Then whatever still lives in the run's namespaces (nginx clobbers its environ, so it is
  //    found by namespace, not by tag).
  const netns = await existingNetns(t);
  await killAndWait(t.runId, await runProcesses(t.runId, netns));
  // 3. Now the namespaces are empty and nothing can add to them.
  await ipBatch(
    netns.map((n) => `netns del ${n}`),
    { force: true },
  );
  if (t.dir !== undefined) await rm(t.dir, { recursive: true, force: true });
}

async function killAndWait(runId: string, pids: readonly number[]): Promise<void> {
  // SIGCONT as well: a frozen (SIGSTOPped) daemon dies on SIGKILL anyway, but its parent may wait on it.
  for (const p of pids) {
    signal(p, 'SIGKILL');
    signal(p, 'SIGCONT');
  }
  await waitFor(async () => (await Promise.all(pids.map((p) => isAlive(p)))).every((a) => !a), {
    timeoutMs: 5000,
    intervalMs: 5,
    description: `processes of run ${runId} to exit`,
  });
}
