import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildPlan } from '../../../harness/backends/netns/build-plan.js';
import { type Manifest, ManifestStore, readManifest, writeManifest } from '../../../harness/backends/netns/manifest.js';
import {
  bridgeName,
  hostNetns,
  isRunId,
  newRunId,
  portName,
  switchNetns,
} from '../../../harness/backends/netns/names.js';
import { dropMulticastRuleset } from '../../../harness/backends/netns/switch-filter.js';
import { generateStarTopology, loadTopologyFile } from '../../../harness/topology/index.js';

describe('run ids and names', () => {
  test('run ids are 6 characters [a-z0-9] and distinct', () => {
    const ids = new Set(Array.from({ length: 2000 }, newRunId));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(isRunId(id)).toBe(true);
    expect(isRunId('ABCDEF')).toBe(false);
    expect(isRunId('abc')).toBe(false);
  });

  test('every name carries the run id and fits IFNAMSIZ', () => {
    expect(hostNetns('ab12cd', 'r1')).toBe('vl-ab12cd-r1');
    expect(switchNetns('ab12cd')).toBe('vl-ab12cd-sw');
    expect(bridgeName('ab12cd', 0)).toBe('bab12cds0');
    expect(portName('ab12cd', 999, 9)).toBe('pab12cdh999l9');
    expect(portName('ab12cd', 999, 9).length).toBeLessThanOrEqual(15);
  });
});

describe('build plan', () => {
  test('three-hosts: veths go straight between host and switch namespaces', async () => {
    const p = buildPlan(await loadTopologyFile('scenarios/topologies/three-hosts.yaml'), 'ab12cd');
    expect(p.createNetns).toEqual(
      ['vl-ab12cd-sw', 'vl-ab12cd-r1', 'vl-ab12cd-r2', 'vl-ab12cd-r3', 'vl-ab12cd-cl'].map((n) => `netns add ${n}`),
    );
    expect(p.createVeths[0]).toBe(
      'link add eth0 netns vl-ab12cd-r1 type veth peer name pab12cdh0l0 netns vl-ab12cd-sw',
    );
    expect(p.switchSetup).toContain('link add bab12cds0 type bridge forward_delay 0 stp_state 0 mcast_snooping 0');
    expect(p.hostSetup.r1).toEqual([
      'link set lo up',
      'addr add 10.99.0.11/24 dev eth0',
      'addr add fd00:99::11/64 dev eth0 nodad',
      'link set eth0 up',
    ]);
  });

  test('50 hosts: names stay unique', () => {
    const p = buildPlan(generateStarTopology({ routers: 3, clients: 47 }), 'zz99zz');
    expect(new Set(p.links.map((l) => l.port)).size).toBe(50);
    expect(p.createNetns.length).toBe(51);
  });

  test('the drop-multicast ruleset matches the switch ports and avoids the `fwd` keyword', () => {
    const rs = dropMulticastRuleset('vl_ab12cd_sw', { sw: ['p1', 'p2'] });
    expect(rs).toContain('iifname { "p1", "p2" } ip daddr 224.0.0.18 counter name sw_v4 drop');
    expect(rs).toContain('ip6 daddr ff02::12 counter name sw_v6 drop');
    expect(rs).not.toMatch(/chain fwd\b/);
  });
});

describe('manifest', () => {
  const sample = async (dir: string): Promise<Manifest> => ({
    version: 1,
    runId: 'ab12cd',
    createdAt: new Date(0).toISOString(),
    dir,
    topologyName: 'three-hosts',
    owner: { pid: process.pid, startTime: 1 },
    persistent: false,
    state: 'building',
    netns: ['vl-ab12cd-sw'],
    switchNetns: 'vl-ab12cd-sw',
    processes: [],
    anchors: {},
    topology: await loadTopologyFile('scenarios/topologies/three-hosts.yaml'),
  });

  test('round-trips and is written atomically (no temp file left)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vl-manifest-'));
    const path = join(dir, 'ab12cd', 'manifest.json');
    const m = await sample(dir);
    await writeManifest(path, m);
    expect(await readManifest(path)).toEqual(m);
    expect(await readdir(join(dir, 'ab12cd'))).toEqual(['manifest.json']);
  });

  test('concurrent updates are serialised', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vl-manifest-'));
    const path = join(dir, 'manifest.json');
    const store = new ManifestStore(path, await sample(dir));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update((m) => {
          m.processes.push({ pid: i, role: 'anchor' });
        }),
      ),
    );
    expect((await readManifest(path)).processes.map((p) => p.pid)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  test('rejects a file that is not a manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vl-manifest-'));
    const path = join(dir, 'manifest.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, '{"version": 2}');
    await expect(readManifest(path)).rejects.toThrow(/not a vrrp-lab manifest/);
  });
});
