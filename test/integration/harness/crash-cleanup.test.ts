import { access, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newRunId } from '../../../harness/backends/netns/names.js';
import { cleanDeadRuns, listRuns } from '../../../harness/backends/netns/runs.js';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { compiledHarness, removeCompiledHarness } from './helpers/compiled.js';
import { netnsOfRun, taggedPids, tempRunsDir } from './helpers/lab-env.js';

let script: string;
let runsDir: string;

beforeAll(async () => {
  const dir = await compiledHarness();
  runsDir = await tempRunsDir();
  script = join(dir, 'build-and-hold.mjs');
  // Builds a 20-host lab (2 with nginx) and then holds it, like a test process would.
  await writeFile(
    script,
    `import { Lab, generateStarTopology } from './harness/lab/index.js';
const [runsDir, runId] = process.argv.slice(2);
const topo = generateStarTopology({ routers: 2, clients: 18, nginx: true });
await Lab.build(topo, { runsDir, runId });
process.stdout.write('built\\n');
setInterval(() => {}, 1000);
`,
  );
}, 180_000);

afterAll(removeCompiledHarness);

const manifestExists = (rid: string) =>
  access(join(runsDir, rid, 'manifest.json')).then(
    () => true,
    () => false,
  );

async function assertCleaned(rid: string): Promise<void> {
  expect((await listRuns(runsDir)).find((r) => r.runId === rid)?.alive).toBe(false);
  expect(await cleanDeadRuns(runsDir)).toContain(rid);
  expect(await netnsOfRun(rid)).toEqual([]);
  expect(await taggedPids(rid)).toEqual([]);
  expect(await readdir(runsDir)).not.toContain(rid);
}

describe('a harness SIGKILLed while building leaves nothing clean() cannot remove', () => {
  const killPoints: [string, (rid: string) => Promise<boolean>][] = [
    ['as soon as the manifest exists', manifestExists],
    ['once some namespaces exist', async (rid) => (await netnsOfRun(rid)).length >= 5],
    ['after the lab is built (anchors and nginx running)', async () => true],
  ];

  for (const [when, ready] of killPoints) {
    test(`killed ${when}`, async () => {
      const rid = newRunId();
      const child = execa('node', [script, runsDir, rid], { reject: false, buffer: false, stdout: 'pipe' });
      let built = false;
      child.stdout?.on('data', () => {
        built = true;
      });
      await waitFor(async () => (when.startsWith('after') ? built : await ready(rid)), {
        timeoutMs: 60_000,
        intervalMs: 1,
        description: `child to reach "${when}"`,
      });
      child.kill('SIGKILL');
      await child;
      await assertCleaned(rid);
    });
  }
});
