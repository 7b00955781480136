import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../harness/backends/netns/manifest.js';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { containersOfRun, engine, imagesOfRun, netnsOfRun, reason, skip, tempRunsDir } from './helpers.js';

/** `vrrp-lab up/ls/down --backend docker` with the built CLI (`npm test` builds dist/ first). */
const CLI = resolve('dist/harness/cli/vrrp-lab.js');
let runsDir: string;
beforeAll(async () => {
  runsDir = await tempRunsDir();
});
afterAll(async () => {
  await rm(runsDir, { recursive: true, force: true });
});

const vrrpLab = (...args: string[]) => execa('node', [CLI, '--runs-dir', runsDir, ...args], { reject: false });

describe.skipIf(skip)(`vrrp-lab up/ls/down --backend docker${reason ? ` (${reason})` : ''}`, () => {
  it('up runs keepalived in containers after the CLI exits; ls shows the docker run; down removes it all', async () => {
    const up = await vrrpLab(
      'up',
      'scenarios/topologies/three-hosts.yaml',
      '--impl',
      'keepalived',
      '--backend',
      'docker',
    );
    expect(up.exitCode, up.stderr).toBe(0);
    const rid = up.stdout.trim().split('\n').at(-1) ?? '';
    expect(rid).toMatch(/^[a-z0-9]{6}$/);
    const docker = await engine();
    expect((await containersOfRun(docker, rid)).length).toBe(4);

    const manifest = JSON.parse(await readFile(join(runsDir, rid, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.backend).toBe('docker');
    const holds = async (host: string) =>
      (await readFile(`/proc/${manifest.anchors[host]}/net/fib_trie`, 'utf8')).includes('|-- 10.99.0.254\n');
    await waitFor(() => holds('r1'), { timeoutMs: 20_000, description: 'r1 (in its container) to hold the VIP' });

    const ls = await vrrpLab('ls', '--json');
    const row = (JSON.parse(ls.stdout) as Array<Record<string, string>>).find((r) => r.id === rid);
    expect(row).toMatchObject({ status: 'alive', backend: 'docker', impl: 'keepalived' });

    const down = await vrrpLab('down', rid);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await containersOfRun(docker, rid)).toEqual([]);
    expect(await imagesOfRun(docker, rid)).toEqual([]);
    expect(await netnsOfRun(rid)).toEqual([]);
  });
});
