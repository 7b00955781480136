import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from '../../platform/procfs.js';
import { type Manifest, readManifest } from './manifest.js';
import { isRunId } from './names.js';
import { defaultRunsDir, runPaths } from './run-dir.js';
import { teardownRun } from './teardown.js';

export interface RunInfo {
  runId: string;
  topology: string;
  impl?: string;
  backend?: 'netns' | 'docker';
  createdAt: string;
  state: Manifest['state'] | 'unknown';
  /** Alive: its owner still runs, or it was left up on purpose (`vrrp-lab up`) and not torn down. */
  alive: boolean;
  dir: string;
  manifest?: Manifest;
}

/**
 * Whether a run is still wanted. A run is dead when its owner (the harness process recorded in the
 * manifest, pid + start time) is gone, unless `up` finished and marked it persistent.
 */
export async function isRunAlive(m: Manifest): Promise<boolean> {
  if (m.persistent && m.state === 'up') return true;
  return isAlive(m.owner.pid, m.owner.startTime);
}

export async function listRuns(runsDir = defaultRunsDir()): Promise<RunInfo[]> {
  let entries: string[];
  try {
    entries = await readdir(runsDir);
  } catch {
    return [];
  }
  const runs: RunInfo[] = [];
  for (const id of entries.filter(isRunId).sort()) {
    const dir = join(runsDir, id);
    try {
      const m = await readManifest(runPaths(runsDir, id).manifest);
      runs.push({
        runId: id,
        topology: m.topologyName,
        ...(m.impl === undefined ? {} : { impl: m.impl }),
        ...(m.backend === undefined ? {} : { backend: m.backend }),
        createdAt: m.createdAt,
        state: m.state,
        alive: await isRunAlive(m),
        dir,
        manifest: m,
      });
    } catch {
      // No readable manifest: either its writer is between mkdir and rename (then a
      // manifest.json.<pid>.tmp of a live pid exists), or it died before writing it, so nothing was
      // created yet (the manifest is always written first): dead, and safe to remove.
      const alive = await writerAlive(dir);
      runs.push({ runId: id, topology: '?', createdAt: '?', state: 'unknown', alive, dir });
    }
  }
  return runs;
}

/** Remove what dead runs left behind (namespaces, tagged processes, run dirs): by run id, never a global sweep. */
async function writerAlive(dir: string): Promise<boolean> {
  try {
    for (const f of await readdir(dir)) {
      const m = /^manifest\.json\.(\d+)\.tmp$/.exec(f);
      if (m && (await isAlive(Number(m[1])))) return true;
    }
  } catch {
    // directory vanished meanwhile
  }
  return false;
}

export async function cleanDeadRuns(runsDir = defaultRunsDir()): Promise<string[]> {
  const removed: string[] = [];
  for (const r of await listRuns(runsDir)) {
    if (r.alive) continue;
    await teardownRun({ runId: r.runId, netns: r.manifest?.netns ?? [], dir: r.dir });
    removed.push(r.runId);
  }
  return removed;
}
