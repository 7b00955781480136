import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { monotonicMs } from '../../src/util/clock.js';
import { packageRoot } from '../../src/util/package-info.js';
import { newRunId } from '../backends/netns/names.js';
import { listRuns } from '../backends/netns/runs.js';
import { seededRandom } from '../fuzz/random.js';
import { listPids, pidsWithEnv } from '../platform/procfs.js';
import { topologiesDir } from '../scenario/topology-source.js';

/**
 * The harness against itself: `vrrp-lab up` SIGKILLed at random moments of its build, each followed by
 * `vrrp-lab clean`, must leave nothing: no namespace of the run, no process tagged with it or naming its
 * directory, no run directory, and no change in the root namespace (links — such as the default devices a
 * kernel module creates when a tc or nft command loads it — and nft tables).
 */
export interface KillRound {
  round: number;
  runId: string;
  killAfterMs: number;
  /**
   * The kill came too late: `up` had marked the run persistent (its last act), so the run is up by design
   * and `clean` rightly keeps it; `vrrp-lab down` then removes it, and that must leave nothing either.
   */
  upCompleted: boolean;
  leaks: string[];
}

export interface KillUpOptions {
  rounds: number;
  seed: number;
  runsDir: string;
  impl?: string;
  topologyFile?: string;
  progress?: (msg: string) => void;
}

const cli = () => join(packageRoot(), 'dist', 'harness', 'cli', 'vrrp-lab.js');

async function rootState(): Promise<{ links: Set<string>; tables: Set<string> }> {
  const links = JSON.parse((await execa('ip', ['-j', 'link', 'show'])).stdout) as { ifname: string }[];
  const tables = (await execa('nft', ['list', 'tables'], { reject: false })).stdout.split('\n').filter(Boolean);
  return { links: new Set(links.map((l) => l.ifname)), tables: new Set(tables) };
}

async function pidsNaming(text: string): Promise<number[]> {
  const out: number[] = [];
  for (const pid of await listPids()) {
    if (pid === process.pid) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(text)) out.push(pid);
  }
  return out;
}

/** What a run left after clean, as one line per leftover. */
export async function leftovers(runId: string, runsDir: string, before: Awaited<ReturnType<typeof rootState>>) {
  const leaks: string[] = [];
  const ns = (await readdir('/run/netns').catch(() => [] as string[])).filter((n) => n.includes(runId));
  if (ns.length) leaks.push(`namespaces: ${ns.join(' ')}`);
  const tagged = await pidsWithEnv('VRRPLAB_RUN', runId);
  if (tagged.length) leaks.push(`processes tagged VRRPLAB_RUN=${runId}: ${tagged.join(' ')}`);
  const naming = await pidsNaming(join(runsDir, runId));
  if (naming.length) leaks.push(`processes naming the run directory: ${naming.join(' ')}`);
  if ((await readdir(runsDir)).includes(runId)) leaks.push(`run directory ${join(runsDir, runId)}`);
  const after = await rootState();
  const links = [...after.links].filter((l) => !before.links.has(l));
  if (links.length) leaks.push(`root-namespace links: ${links.join(' ')}`);
  const tables = [...after.tables].filter((t) => !before.tables.has(t));
  if (tables.length) leaks.push(`root-namespace nft tables: ${tables.join(', ')}`);
  return leaks;
}

export async function killDuringUp(
  o: KillUpOptions,
): Promise<{ upMs: number; calibrationLeaks: string[]; rounds: KillRound[] }> {
  const file = o.topologyFile ?? join(topologiesDir(), 'seed-pair.yaml');
  const up = (runId: string) =>
    execa(
      process.execPath,
      [cli(), '--runs-dir', o.runsDir, 'up', file, '--impl', o.impl ?? 'vrrpd', '--run-id', runId],
      {
        reject: false,
      },
    );
  const cleanRuns = () => execa(process.execPath, [cli(), '--runs-dir', o.runsDir, 'clean'], { reject: false });

  // Calibration: how long a whole `up` takes here, so the kills fall anywhere inside it. Its baseline is
  // taken first, so a device a kernel module creates the first time a run loads it is seen too.
  const initial = await rootState();
  const calibrationId = newRunId();
  const t0 = monotonicMs();
  const full = await up(calibrationId);
  const upMs = monotonicMs() - t0;
  await execa(process.execPath, [cli(), '--runs-dir', o.runsDir, 'down', calibrationId], { reject: false });
  if (full.exitCode !== 0) throw new Error(`vrrp-lab up failed before any kill:\n${full.stderr}`);
  await cleanRuns();
  const calibrationLeaks = await leftovers(calibrationId, o.runsDir, initial);

  const rand = seededRandom(o.seed);
  const rounds: KillRound[] = [];
  for (let round = 0; round < o.rounds; round++) {
    const before = await rootState();
    const runId = newRunId();
    const killAfterMs = Math.round(rand() * upMs);
    const child = up(runId);
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    child.kill('SIGKILL');
    await child;
    const upCompleted = (await listRuns(o.runsDir)).some((r) => r.runId === runId && r.alive);
    if (upCompleted) await execa(process.execPath, [cli(), '--runs-dir', o.runsDir, 'down', runId], { reject: false });
    const c = await cleanRuns();
    const leaks = await leftovers(runId, o.runsDir, before);
    if (c.exitCode !== 0) leaks.push(`vrrp-lab clean exited ${c.exitCode}: ${c.stderr.trim()}`);
    rounds.push({ round, runId, killAfterMs, upCompleted, leaks });
    o.progress?.(
      `round ${round + 1}/${o.rounds}: up killed after ${killAfterMs} ms${upCompleted ? ' (it had completed: down)' : ''}: ` +
        (leaks.length ? `LEAKS ${leaks.join('; ')}` : 'nothing left'),
    );
    // Whatever leaked must not pollute the next round's baseline.
    if (leaks.length) await rm(join(o.runsDir, runId), { recursive: true, force: true });
  }
  return { upMs, calibrationLeaks, rounds };
}
