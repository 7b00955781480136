import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Lab } from '../../../harness/backends/netns/lab.js';
import { pidsInNetns } from '../../../harness/platform/procfs.js';
import { loadTopologyFile } from '../../../harness/topology/load.js';
import { tempRunsDir } from './helpers/lab-env.js';

let lab: Lab;

beforeAll(async () => {
  const topo = await loadTopologyFile('scenarios/topologies/seed-pair.yaml');
  lab = await Lab.build(topo, { runsDir: await tempRunsDir() });
});
afterAll(async () => {
  await lab?.destroy();
});

const check = async (host: string) => {
  const h = lab.host(host);
  const cmd = h.adapterHost().nginxCheck;
  if (cmd === undefined) throw new Error('no nginx check');
  return (await h.execStatus('sh', ['-c', cmd])).exitCode;
};

test('nginx runs in both nodes, bound to the host address, with a check command', async () => {
  const n14 = lab.host('n14');
  expect(n14.adapterHost().nginxCheck).toBe('curl -fsS -m 1 -o /dev/null http://10.99.0.14/health');
  expect(await check('n14')).toBe(0);
  expect(await check('n15')).toBe(0);
  expect(n14.nginx?.confPath.startsWith(lab.dir)).toBe(true);
});

test('failHealth / recoverHealth flip the exit code of the check', async () => {
  const nginx = lab.host('n14').nginx;
  await nginx?.failHealth();
  expect(await check('n14')).not.toBe(0);
  expect(await check('n15')).toBe(0);
  await nginx?.recoverHealth();
  expect(await check('n14')).toBe(0);
});

test('kill() removes master and workers; start() brings it back', async () => {
  const nginx = lab.host('n15').nginx;
  const master = nginx?.pid;
  expect(master).toBeDefined();
  await nginx?.kill();
  expect(await check('n15')).not.toBe(0);
  // nginx overwrites its environ (setproctitle), so find its processes by namespace, not by tag.
  const inNs = (await pidsInNetns([lab.host('n15').netns])).get(lab.host('n15').netns) ?? [];
  const comms = await Promise.all(inNs.map((p) => readFile(`/proc/${p}/comm`, 'utf8').catch(() => '')));
  expect(comms.filter((c) => c.startsWith('nginx'))).toEqual([]);
  await nginx?.start();
  expect(await check('n15')).toBe(0);
  expect(nginx?.pid).not.toBe(master);
});
