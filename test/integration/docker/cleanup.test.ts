import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanDeadDockerRuns } from '../../../harness/backends/docker/cleanup.js';
import { DockerLab } from '../../../harness/backends/docker/lab.js';
import { newRunId } from '../../../harness/backends/netns/names.js';
import { listRuns } from '../../../harness/backends/netns/runs.js';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { pidsWithEnv } from '../../../harness/platform/procfs.js';
import { generateStarTopology } from '../../../harness/topology/generate.js';
import { compiledHarness, removeCompiledHarness } from '../harness/helpers/compiled.js';
import { containersOfRun, engine, imagesOfRun, netnsOfRun, reason, skip, tempRunsDir } from './helpers.js';

/**
 * A harness SIGKILLed with a docker lab up leaves containers, an image, attached netns names, a switch
 * netns and a run directory; `vrrp-lab clean` removes exactly those of dead runs, found by label.
 */
describe.skipIf(skip)(`docker cleanup after a crashed owner${reason ? ` (${reason})` : ''}`, () => {
  let dir: string;
  let runsDir: string;

  beforeAll(async () => {
    dir = await compiledHarness();
    runsDir = await tempRunsDir();
    await writeFile(
      join(dir, 'docker-build-and-hold.mjs'),
      `import { DockerLab } from './harness/backends/docker/lab.js';
import { generateStarTopology } from './harness/lab/index.js';
const [runsDir, runId] = process.argv.slice(2);
await DockerLab.build(generateStarTopology({ routers: 2, clients: 1, nginx: true }), { runsDir, runId });
process.stdout.write('built\\n');
setInterval(() => {}, 1000);
`,
    );
  }, 180_000);
  afterAll(removeCompiledHarness);

  async function assertGone(rid: string): Promise<void> {
    const docker = await engine();
    expect(await containersOfRun(docker, rid)).toEqual([]);
    expect(await imagesOfRun(docker, rid)).toEqual([]);
    expect(await netnsOfRun(rid)).toEqual([]);
    expect(await pidsWithEnv('VRRPLAB_RUN', rid)).toEqual([]);
    await expect(access(join(runsDir, rid))).rejects.toThrow();
  }

  test('clean removes a SIGKILLed run and leaves a live one alone', async () => {
    const docker = await engine();
    // A live run in the same runs directory: clean must not touch it.
    const live = await DockerLab.build(generateStarTopology({ routers: 1, clients: 1 }), { runsDir, docker });
    try {
      const rid = newRunId();
      const child = execa('node', [join(dir, 'docker-build-and-hold.mjs'), runsDir, rid], {
        reject: false,
        buffer: false,
        stdout: 'pipe',
      });
      let built = false;
      child.stdout?.on('data', () => {
        built = true;
      });
      await waitFor(() => built, { timeoutMs: 60_000, intervalMs: 5, description: 'child to build its lab' });
      expect(await containersOfRun(docker, rid)).toHaveLength(3);
      child.kill('SIGKILL');
      await child;

      expect((await listRuns(runsDir)).find((r) => r.runId === rid)?.alive).toBe(false);
      const r = await execa('node', [join(dir, 'harness/cli/vrrp-lab.js'), '--runs-dir', runsDir, 'clean'], {
        reject: false,
      });
      expect(r.stdout).toContain(rid);
      await assertGone(rid);

      // Killed mid-build: some host containers exist, maybe not yet wired or recorded as anchors. (A host's
      // container, not any labelled one: a build step's container carries the run's labels too, and the
      // engine commits a step it had started after its client died — after any clean; see docs/quirks.md Q49.)
      const rid2 = newRunId();
      const child2 = execa('node', [join(dir, 'docker-build-and-hold.mjs'), runsDir, rid2], { reject: false });
      await waitFor(async () => (await containersOfRun(docker, rid2, { hostsOnly: true })).length > 0, {
        timeoutMs: 60_000,
        intervalMs: 5,
        description: 'child to create its first host container',
      });
      child2.kill('SIGKILL');
      await child2;
      expect(await cleanDeadDockerRuns(docker, runsDir)).toEqual([rid2]);
      // A container create the child had sent may land after that clean (the run is still dead): clean again
      // until nothing of it is left. The build is over by now, so nothing of the run can appear later.
      await waitFor(
        async () => {
          if ((await imagesOfRun(docker, rid2)).length === 0 && (await containersOfRun(docker, rid2)).length === 0) {
            return true;
          }
          await cleanDeadDockerRuns(docker, runsDir);
          return false;
        },
        { timeoutMs: 60_000, intervalMs: 250, description: `nothing of ${rid2} left after clean` },
      );
      await assertGone(rid2);

      expect(await containersOfRun(docker, live.runId)).toHaveLength(2);
      expect(await netnsOfRun(live.runId)).toHaveLength(3);
      // The live run is left alone. (The engine may still commit a step of the killed build late, so a dead run
      // can reappear here; what matters is that the live one is never taken.)
      expect(await cleanDeadDockerRuns(docker, runsDir)).not.toContain(live.runId);
      expect(await containersOfRun(docker, live.runId)).toHaveLength(2);
    } finally {
      await live.destroy();
    }
    await assertGone(live.runId);
  });
});
