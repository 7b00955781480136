import { basename, dirname, resolve } from 'node:path';
import type Docker from 'dockerode';
import { isAlive } from '../../platform/procfs.js';
import { readManifest } from '../netns/manifest.js';
import { isRunId } from '../netns/names.js';
import { defaultRunsDir, runPaths } from '../netns/run-dir.js';
import { isRunAlive } from '../netns/runs.js';
import { teardownRun } from '../netns/teardown.js';
import { removeRunObjects } from './lab.js';
import { LABEL_OWNER, LABEL_RUN_DIR, LABEL_RUN_ID, parseOwnerLabel } from './names.js';

interface LabelledRun {
  runId: string;
  runDir: string;
  owner: string | undefined;
}

/** Runs that own labelled containers or images, from their labels (the engine's record, not our memory). */
async function labelledRuns(docker: Docker): Promise<Map<string, LabelledRun>> {
  const filters = { label: [LABEL_RUN_ID] };
  const [containers, images] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listImages({ all: true, filters }),
  ]);
  const runs = new Map<string, LabelledRun>();
  for (const labels of [...containers.map((c) => c.Labels), ...images.map((i) => i.Labels ?? {})]) {
    const runId = labels[LABEL_RUN_ID];
    const runDir = labels[LABEL_RUN_DIR];
    if (!runId || !runDir || !isRunId(runId) || runs.has(runId)) continue;
    runs.set(runId, { runId, runDir, owner: labels[LABEL_OWNER] });
  }
  return runs;
}

/**
 * Dead = its manifest says so (owner gone and not left up on purpose); without a manifest (already torn
 * down by `clean`'s netns pass, or never written), the owner label decides. Objects without an owner label
 * were not made by this harness: they stay.
 */
async function isDead(r: LabelledRun): Promise<boolean> {
  const m = await readManifest(runPaths(dirname(r.runDir), r.runId).manifest).catch(() => undefined);
  if (m) return !(await isRunAlive(m));
  const owner = parseOwnerLabel(r.owner);
  if (!owner) return false;
  return !(await isAlive(owner.pid, owner.startTime));
}

/**
 * Remove what dead docker runs left: their containers and images (by the run id label only, never a
 * sweep), the attached netns names and the switch netns, any tagged process, and the run directory.
 * Only runs whose directory lies in `runsDir` are considered, like the netns backend's cleanDeadRuns().
 */
export async function cleanDeadDockerRuns(docker: Docker, runsDir = defaultRunsDir()): Promise<string[]> {
  const removed: string[] = [];
  const parent = resolve(runsDir);
  for (const r of (await labelledRuns(docker)).values()) {
    // The label must name this run's own directory in runsDir before we delete anything by it.
    if (dirname(resolve(r.runDir)) !== parent || basename(r.runDir) !== r.runId) continue;
    if (!(await isDead(r))) continue;
    const m = await readManifest(runPaths(parent, r.runId).manifest).catch(() => undefined);
    await removeRunObjects(docker, r.runId, { keepImage: true });
    await teardownRun({ runId: r.runId, netns: m?.netns ?? [], dir: runPaths(parent, r.runId).root });
    await removeRunObjects(docker, r.runId);
    removed.push(r.runId);
  }
  return removed;
}
