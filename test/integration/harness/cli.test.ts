import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Manifest } from '../../../harness/backends/netns/manifest.js';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { compiledHarness, removeCompiledHarness } from './helpers/compiled.js';
import { netnsOfRun, taggedPids, tempRunsDir } from './helpers/lab-env.js';

let cli: string;
let runsDir: string;

beforeAll(async () => {
  cli = join(await compiledHarness(), 'harness/cli/vrrp-lab.js');
  runsDir = await tempRunsDir();
}, 180_000);

afterAll(removeCompiledHarness);

const vrrpLab = (...args: string[]) => execa('node', [cli, '--runs-dir', runsDir, ...args], { reject: false });

test('up --impl keepalived: run id last, r1 takes the VIP, ls shows it alive, down removes it', async () => {
  const up = await vrrpLab('up', 'scenarios/topologies/three-hosts.yaml', '--impl', 'keepalived');
  expect(up.exitCode, up.stderr).toBe(0);
  const rid = up.stdout.trim().split('\n').at(-1) ?? '';
  expect(rid).toMatch(/^[a-z0-9]{6}$/);
  expect((await netnsOfRun(rid)).length).toBe(5);

  // The CLI has exited; keepalived keeps running detached and elects r1 (priority 150).
  const manifest = JSON.parse(await readFile(join(runsDir, rid, 'manifest.json'), 'utf8')) as Manifest;
  const holds = async (host: string) =>
    (await readFile(`/proc/${manifest.anchors[host]}/net/fib_trie`, 'utf8')).includes('|-- 10.99.0.254\n');
  await waitFor(() => holds('r1'), { timeoutMs: 20_000, description: 'r1 to hold 10.99.0.254' });
  expect(await holds('r2')).toBe(false);

  const ls = await vrrpLab('ls', '--json');
  const row = (JSON.parse(ls.stdout) as { id: string; status: string; topology: string; impl: string }[]).find(
    (r) => r.id === rid,
  );
  expect(row).toMatchObject({ status: 'alive', topology: 'three-hosts', impl: 'keepalived' });
  // A persistent run survives `clean` (its owner, the `up` process, is gone on purpose).
  expect((await vrrpLab('clean')).stdout).not.toContain(rid);

  const down = await vrrpLab('down', rid);
  expect(down.exitCode, down.stderr).toBe(0);
  expect(await netnsOfRun(rid)).toEqual([]);
  expect(await taggedPids(rid)).toEqual([]);
  expect((await vrrpLab('ls')).stdout).not.toContain(rid);
});

test('up refuses an implementation that cannot express the topology, and leaves nothing', async () => {
  const r = await vrrpLab('up', 'scenarios/topologies/seed-pair.yaml', '--impl', 'frr');
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toContain('frr cannot run this topology');
  expect((await vrrpLab('ls', '--json')).stdout.trim()).toBe('[]');
});

test('an invalid topology is reported with file and path, and nothing is created', async () => {
  const r = await vrrpLab('up', 'test/unit/harness/fixtures/bad-cidr.yaml');
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toContain('bad-cidr.yaml:');
  expect(r.stderr).toContain('hosts.r1.links[0].address: invalid CIDR');
  expect((await vrrpLab('ls', '--json')).stdout.trim()).toBe('[]');
});

test('doctor lists every prerequisite', async () => {
  const r = await vrrpLab('doctor');
  for (const t of ['root', 'iproute2', 'nftables', 'tcpdump', 'keepalived', 'FRR vrrpd', 'nginx', 'curl']) {
    expect(r.stdout).toContain(t);
  }
});
