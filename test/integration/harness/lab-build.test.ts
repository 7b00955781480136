import { access } from 'node:fs/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Lab } from '../../../harness/backends/netns/lab.js';
import { linksNotReady, waitLinksReady } from '../../../harness/backends/netns/links-ready.js';
import { writeManifest } from '../../../harness/backends/netns/manifest.js';
import { runPaths } from '../../../harness/backends/netns/run-dir.js';
import { cleanDeadRuns, listRuns } from '../../../harness/backends/netns/runs.js';
import { loadTopologyFile } from '../../../harness/topology/load.js';
import type { Topology } from '../../../harness/topology/types.js';
import { netnsOfRun, rootLinks, taggedPids, tempRunsDir } from './helpers/lab-env.js';

let topo: Topology;
let runsDir: string;

beforeAll(async () => {
  topo = await loadTopologyFile('scenarios/topologies/three-hosts.yaml');
  runsDir = await tempRunsDir();
});

async function assertGone(lab: Lab): Promise<void> {
  expect(await netnsOfRun(lab.runId)).toEqual([]);
  expect(await taggedPids(lab.runId)).toEqual([]);
  await expect(access(lab.dir)).rejects.toThrow();
}

describe('three-hosts on namespaces', () => {
  let lab: Lab;
  let rootBefore: string[];

  beforeAll(async () => {
    rootBefore = await rootLinks();
    lab = await Lab.build(topo, { runsDir });
  });
  afterAll(async () => {
    await lab?.destroy();
  });

  test('build() returns with every host link UP and every switch port forwarding (docs/quirks.md Q44)', async () => {
    expect(await linksNotReady(lab.plan)).toEqual([]);
  });

  test('a port that stops forwarding is named, and the wait ends when it forwards again', async () => {
    const link = lab.plan.links.find((l) => l.host === 'cl')!;
    await execa('ip', ['-n', lab.switchNetns, 'link', 'set', link.port, 'down']);
    try {
      expect(await linksNotReady(lab.plan)).toContain(`port ${link.port} of ${link.bridge} is disabled`);
      await expect(waitLinksReady(lab.plan, 300)).rejects.toThrow(`port ${link.port} of ${link.bridge} is disabled`);
    } finally {
      await execa('ip', ['-n', lab.switchNetns, 'link', 'set', link.port, 'up']);
    }
    await waitLinksReady(lab.plan);
    expect(await lab.host('cl').canReach('10.99.0.11')).toBe(true);
  });

  test('hosts reach each other across the switch (IPv4 and IPv6)', async () => {
    const r1 = lab.host('r1');
    expect(await r1.canReach('10.99.0.100')).toBe(true);
    expect(await r1.canReach('fd00:99::13')).toBe(true);
    expect(await lab.host('cl').canReach('10.99.0.12')).toBe(true);
    // An address nobody holds does not answer.
    expect(await r1.canReach('10.99.0.254', { timeoutMs: 500 })).toBe(false);
  });

  test('every namespace, bridge and port carries the run id', async () => {
    const rid = lab.runId;
    expect(rid).toMatch(/^[a-z0-9]{6}$/);
    expect((await netnsOfRun(rid)).sort()).toEqual(
      ['vl-RID-cl', 'vl-RID-r1', 'vl-RID-r2', 'vl-RID-r3', 'vl-RID-sw'].map((n) => n.replace('RID', rid)).sort(),
    );
    const { stdout } = await execa('ip', ['-n', lab.switchNetns, '-j', 'link', 'show']);
    const names = (JSON.parse(stdout) as { ifname: string }[]).map((l) => l.ifname).filter((n) => n !== 'lo');
    expect(names.length).toBe(5); // 1 bridge + 4 ports
    for (const n of names) expect(n).toContain(rid);
    const { stdout: br } = await execa('ip', ['-n', lab.switchNetns, '-d', '-j', 'link', 'show', 'type', 'bridge']);
    const info = (JSON.parse(br) as { linkinfo: { info_data: Record<string, number> } }[])[0]?.linkinfo.info_data;
    expect(info).toMatchObject({ forward_delay: 0, stp_state: 0, mcast_snooping: 0 });
  });

  test('nothing appeared in the root namespace', async () => {
    const after = await rootLinks();
    const added = after.filter((n) => !rootBefore.includes(n));
    expect(added.filter((n) => n.includes(lab.runId))).toEqual([]);
    for (const l of lab.plan.links) expect(after).not.toContain(l.port);
  });

  test('anchors live in their namespaces and see the host addresses without forking', async () => {
    for (const h of Object.values(lab.hosts)) {
      expect(lab.manifest.anchors[h.name]).toBe(h.anchorPid);
      expect(await h.hasLocalAddress(h.address)).toBe(true);
    }
    expect(await lab.host('r1').hasLocalAddress('fd00:99::11')).toBe(true);
    expect(await lab.host('r1').hasLocalAddress('10.99.0.12')).toBe(false);
    expect(await taggedPids(lab.runId)).toEqual(expect.arrayContaining(Object.values(lab.manifest.anchors)));
  });

  test('adapterHost() describes the host for implementation adapters', async () => {
    const ah = lab.adapterHost('r1');
    expect(ah).toMatchObject({
      runId: lab.runId,
      name: 'r1',
      ifname: 'eth0',
      addresses: ['10.99.0.11/24', 'fd00:99::11/64'],
    });
    expect(ah.peers).toEqual(['10.99.0.12', 'fd00:99::12', '10.99.0.13', 'fd00:99::13']);
    expect(ah.instances[0]?.vrid).toBe(51);
    const { stdout } = await ah.exec('ip', ['-br', 'addr', 'show', 'eth0']);
    expect(stdout).toContain('10.99.0.11/24');
    expect(lab.adapterHost('r1')).toBe(ah);
  });
});

describe('lifecycle', () => {
  test('build() and destroy() are idempotent and destroy leaves nothing', async () => {
    const lab = await Lab.create(topo, { runsDir });
    await lab.build();
    await lab.build();
    expect((await netnsOfRun(lab.runId)).length).toBe(5);
    await lab.destroy();
    await lab.destroy();
    await assertGone(lab);
  });

  test('destroy({ keepDir }) leaves only the directory, marked kept; clean removes it once the owner is gone', async () => {
    const lab = await Lab.build(topo, { runsDir });
    await lab.destroy({ keepDir: true });
    expect(await netnsOfRun(lab.runId)).toEqual([]);
    expect(await taggedPids(lab.runId)).toEqual([]);
    const run = (await listRuns(runsDir)).find((r) => r.runId === lab.runId);
    expect(run?.state).toBe('kept');
    // Still ours (this process owns it); clean takes it after we are gone, here by a foreign owner.
    expect(run?.alive).toBe(true);
    await writeManifest(runPaths(runsDir, lab.runId).manifest, { ...run!.manifest!, owner: { pid: 0, startTime: 0 } });
    expect(await cleanDeadRuns(runsDir)).toContain(lab.runId);
    await assertGone(lab);
  });

  test('two runs at once do not collide', async () => {
    const [a, b] = await Promise.all([Lab.build(topo, { runsDir }), Lab.build(topo, { runsDir })]);
    try {
      expect(a.runId).not.toBe(b.runId);
      expect(await a.host('r1').canReach('10.99.0.13')).toBe(true);
      expect(await b.host('r1').canReach('10.99.0.13')).toBe(true);
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
    await assertGone(a);
    await assertGone(b);
  });

  test('await using destroys the lab at the end of the block', async () => {
    let lab: Lab | undefined;
    {
      await using l = await Lab.build(topo, { runsDir });
      lab = l;
      expect((await netnsOfRun(l.runId)).length).toBe(5);
    }
    await assertGone(lab);
  });
});
