import { access, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keepalivedAdapter } from '../../../harness/adapters/keepalived.js';
import { DockerLab } from '../../../harness/backends/docker/lab.js';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { pidsWithEnv } from '../../../harness/platform/procfs.js';
import { resolveTopology } from '../../../harness/scenario/topology-source.js';
import { containersOfRun, engine, imagesOfRun, netnsOfRun, reason, skip, tempRunsDir } from './helpers.js';

const VIP = '10.99.0.16';

describe.skipIf(skip)(
  `docker lab: seed pair with unicast, keepalived in containers${reason ? ` (${reason})` : ''}`,
  () => {
    let lab: DockerLab;
    let rootBefore: string[];

    const rootLinks = async () =>
      (JSON.parse((await execa('ip', ['-j', 'link', 'show'])).stdout) as { ifname: string }[]).map((l) => l.ifname);

    beforeAll(async () => {
      const docker = await engine();
      rootBefore = await rootLinks();
      const topo = await resolveTopology({ file: 'seed-pair.yaml', overrides: { vrrp: { unicast: true } } });
      lab = await DockerLab.build(topo, { runsDir: await tempRunsDir(), impl: keepalivedAdapter, docker });
    });
    afterAll(async () => {
      await lab?.destroy();
    });

    test('one labelled container per host, wired through the switch netns only', async () => {
      const docker = await engine();
      const rid = lab.runId;
      expect((await containersOfRun(docker, rid)).sort()).toEqual(['cl', 'n14', 'n15'].map((h) => `/vl-${rid}-${h}`));
      expect(await imagesOfRun(docker, rid, { tagged: true })).toHaveLength(1);
      expect((await netnsOfRun(rid)).sort()).toEqual(['cl', 'n14', 'n15', 'sw'].map((h) => `vl-${rid}-${h}`));
      // The attached netns IS the container's: same inode as its init's.
      const info = await lab.container('n14').inspect();
      expect(lab.host('n14').anchorPid).toBe(info.State.Pid);
      expect(info.HostConfig.NetworkMode).toBe('none');
      // No bridge, veth or port appeared in the root netns (bridge-nf-call-iptables=1 there).
      expect((await rootLinks()).filter((n) => !rootBefore.includes(n))).toEqual([]);
      expect(await lab.host('cl').canReach('10.99.0.14')).toBe(true);
    });

    test('commands run inside the container (its hostname, its /run)', async () => {
      const h = lab.host('n14');
      expect((await h.exec('cat', ['/proc/sys/kernel/hostname'])).stdout.trim()).toBe('n14');
      expect((await h.execStatus('sh', ['-c', 'exit 3'])).exitCode).toBe(3);
      await expect(h.exec('false', [])).rejects.toThrow(/exit 1/);
      expect((await h.exec('cat', [], { input: 'piped\n' })).stdout).toBe('piped\n');
    });

    test('keepalived in the containers elects exactly one VIP holder, reachable from the client', async () => {
      await lab.startImplementation();
      const holders = await waitFor(
        async () => {
          const held: string[] = [];
          for (const r of lab.routers()) if (await r.hasLocalAddress(VIP)) held.push(r.name);
          return held;
        },
        { until: (h) => h.length === 1, timeoutMs: 20_000, intervalMs: 20, description: `one holder of ${VIP}` },
      );
      expect(holders).toHaveLength(1);
      const states = await keepalivedAdapter.state(lab.adapterHost(holders[0] ?? ''));
      expect(states.map((s) => s.state)).toEqual(['MASTER']);
      // The daemon runs in the container: same cgroups and mount namespace as the container's init.
      const holder = lab.host(holders[0] ?? '');
      const pid = Number((await readFile(join(holder.dir, 'keepalived.pid'), 'utf8')).trim());
      const view = async (p: number) => [
        await readFile(`/proc/${p}/cgroup`, 'utf8'),
        await readlink(`/proc/${p}/ns/mnt`),
      ];
      expect(await view(pid)).toEqual(await view(holder.anchorPid));
      expect(await pidsWithEnv('VRRPLAB_RUN', lab.runId)).toContain(pid);
      expect(await lab.host('cl').canReach(VIP, { port: 80 })).toBe(true);
      await lab.stopImplementation();
    });

    test('destroy removes containers, image, namespaces, processes and the run directory', async () => {
      const docker = await engine();
      const rid = lab.runId;
      await lab.destroy();
      expect(await containersOfRun(docker, rid)).toEqual([]);
      expect(await imagesOfRun(docker, rid)).toEqual([]);
      expect(await netnsOfRun(rid)).toEqual([]);
      expect(await pidsWithEnv('VRRPLAB_RUN', rid)).toEqual([]);
      await expect(access(lab.dir)).rejects.toThrow();
    });
  },
);
