import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frrAdapter } from '../../../harness/adapters/frr.js';
import { keepalivedAdapter } from '../../../harness/adapters/keepalived.js';
import {
  BUILT_IN_IMPLS,
  isAdapterPath,
  knownAdapters,
  registerAdapter,
  resolveAdapter,
} from '../../../harness/adapters/registry.js';
import { vrrpdAdapter } from '../../../harness/adapters/vrrpd.js';
import { fakeHost, inst } from './fixtures.js';

const minimal = (name: string) => `name: ${name}\nconfig: keepalived\nstart: [mydaemon, -f, "{config}"]\n`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vrrplab-registry-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveAdapter', () => {
  it('resolves the built-in names to the built-in adapters', async () => {
    expect(BUILT_IN_IMPLS).toEqual(['vrrpd', 'keepalived', 'frr']);
    expect(await resolveAdapter('vrrpd')).toBe(vrrpdAdapter);
    expect(await resolveAdapter('keepalived')).toBe(keepalivedAdapter);
    expect(await resolveAdapter('frr')).toBe(frrAdapter);
  });

  it('rejects an unknown name, naming what it knows', async () => {
    await expect(resolveAdapter('bird')).rejects.toThrow(/unknown implementation "bird": use vrrpd, keepalived, frr/);
  });

  it('tells names from paths', () => {
    expect(isAdapterPath('keepalived')).toBe(false);
    expect(isAdapterPath('my.yaml')).toBe(true);
    expect(isAdapterPath('./adapters/x')).toBe(true);
    expect(isAdapterPath('a.mjs')).toBe(true);
  });

  it('registerAdapter wins over a built-in until restored, and fills in the LabAdapter extras', async () => {
    const double = { ...vrrpdAdapter, name: 'vrrpd', differences: undefined, cleanupStale: undefined };
    const restore = registerAdapter('vrrpd', double);
    try {
      const got = await resolveAdapter('vrrpd');
      expect(got).not.toBe(vrrpdAdapter);
      expect(got.differences(fakeHost([]))).toEqual([]);
      expect(typeof got.cleanupStale).toBe('function');
    } finally {
      restore();
    }
    expect(await resolveAdapter('vrrpd')).toBe(vrrpdAdapter);
  });

  it('resolves a relative path from cwd, loads a file once, then knows it by its name', async () => {
    await writeFile(join(dir, 'rel.yaml'), minimal('reltest'));
    const a = await resolveAdapter('./rel.yaml', { cwd: dir });
    expect(a.name).toBe('reltest');
    expect(a.source).toBe(join(dir, 'rel.yaml'));
    expect(await resolveAdapter(join(dir, 'rel.yaml'))).toBe(a);
    expect(await resolveAdapter('reltest')).toBe(a);
    expect(knownAdapters()).toContain('reltest');
    // Relative to another directory, the same spec is another (missing) file.
    await expect(resolveAdapter('./rel.yaml', { cwd: tmpdir() })).rejects.toThrow(
      /cannot read adapter file \(ENOENT\)/,
    );
  });

  it('refuses a file that takes a built-in name or another file name', async () => {
    await writeFile(join(dir, 'ka.yaml'), minimal('keepalived'));
    await expect(resolveAdapter(join(dir, 'ka.yaml'))).rejects.toThrow(/"keepalived" is already taken by a built-in/);
    await writeFile(join(dir, 'one.yaml'), minimal('twin'));
    await writeFile(join(dir, 'two.yaml'), minimal('twin'));
    await resolveAdapter(join(dir, 'one.yaml'));
    await expect(resolveAdapter(join(dir, 'two.yaml'))).rejects.toThrow(/"twin" is already taken by .*one\.yaml/);
  });

  it('can try a fixed file again after a failed load', async () => {
    const p = join(dir, 'fixme.yaml');
    await writeFile(p, 'name: fixme\nconfig: keepalived\n');
    await expect(resolveAdapter(p)).rejects.toThrow(/start: required/);
    await writeFile(p, minimal('fixme'));
    expect((await resolveAdapter(p)).name).toBe('fixme');
  });

  it('refuses a file of another kind', async () => {
    await expect(resolveAdapter(join(dir, 'adapter.txt'))).rejects.toThrow(/an adapter file ends in .yaml/);
  });
});

describe('unsupportedSettings of the built-ins', () => {
  it('lists what each cannot express, and FRR refuses a topology that needs one', () => {
    expect(frrAdapter.unsupportedSettings).toEqual(
      expect.arrayContaining(['owner', 'unicast', 'auth_pass', 'track_script', 'preempt_delay']),
    );
    expect(vrrpdAdapter.unsupportedSettings).toEqual([]);
    expect(keepalivedAdapter.unsupportedSettings).toEqual(['checksum_9568']);
    const owner = fakeHost([inst({ vrid: 1, vips: ['10.0.0.254/24'], priority: 255 })]);
    expect(frrAdapter.unsupported(owner).join('\n')).toMatch(/owner/);
  });
});
