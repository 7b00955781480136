import { mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeVrrpMessage } from '../../../src/protocol/index.js';
import type { InstanceRunner } from '../../../src/runtime/instance-runner.js';
import { parseCrashState } from '../../../src/supervisor/crash-state-format.js';
import { CrashStateWriter } from '../../../src/supervisor/crash-state-writer.js';

function runner(name: string, state: string, unicastPeers: string[] = []): InstanceRunner {
  return {
    state,
    settings: {
      name,
      ifname: 'eth0',
      family: 4,
      primaryAddress: '10.0.0.11',
      vips: [{ cidr: '10.0.0.254/24', address: '10.0.0.254', dev: 'eth0' }],
      unicastPeers,
      multicastGroup: '224.0.0.18',
      authType: 0,
      params: { version: 3, vrid: 7, advertIntervalCs: 20, priority: 150 },
    },
  } as unknown as InstanceRunner;
}

describe('crash state (what the worker leaves for its supervisor)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpd-cs-'));

  it('lists every instance with its VIPs; a Master carries a priority-0 advert per destination', () => {
    const path = join(dir, 'state');
    new CrashStateWriter(path, () => [
      runner('A', 'MASTER', ['10.0.0.12', '10.0.0.13']),
      runner('B', 'BACKUP'),
    ]).write();
    const s = parseCrashState(readFileSync(path, 'utf8'));
    expect(s?.instances.map((i) => [i.name, i.vips.length, i.priorityZero.length])).toEqual([
      ['A', 1, 2],
      ['B', 1, 0],
    ]);
    const p0 = s!.instances[0]!.priorityZero[1]!;
    expect(p0.dst).toBe('10.0.0.13');
    const m = decodeVrrpMessage(Buffer.from(p0.hex, 'hex'), {
      family: 4,
      src: '10.0.0.11',
      dst: '10.0.0.13',
      ttl: 255,
    });
    if (!m.ok) throw new Error(m.detail);
    const a = m.value.advert;
    expect([a.priority, a.vrid, a.addresses, m.value.errors]).toEqual([0, 7, ['10.0.0.254'], []]);
    // Atomic: no temporary file left beside it.
    expect(readdirSync(dir)).toEqual(['state']);
  });

  it('replaces a planted symlink instead of writing through it', () => {
    const path = join(dir, 'linked');
    const victim = join(dir, 'victim');
    symlinkSync(victim, path);
    new CrashStateWriter(path, () => []).write();
    expect(() => readlinkSync(path)).toThrow();
    expect(readdirSync(dir)).not.toContain('victim');
  });

  it('rejects what it does not understand', () => {
    expect(parseCrashState('not json')).toBeUndefined();
    expect(parseCrashState('{"version":2,"instances":[]}')).toBeUndefined();
  });
});

describe('the supervisor stays cheap to load', () => {
  it('imports nothing of the state machine, the config parser or the runtime', () => {
    const root = resolve(import.meta.dirname, '../../../src');
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import (?!type)[^'"]*['"](\.[^'"]+)['"]/gm)) {
        visit(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
      }
    };
    visit(join(root, 'supervisor', 'supervise-command.ts'));
    const modules = [...seen].map((f) => f.slice(root.length + 1));
    expect(modules.some((f) => /^(core|config|runtime)\//.test(f))).toBe(false);
    expect(modules).toContain('supervisor/crash-recovery.ts');
  });
});
