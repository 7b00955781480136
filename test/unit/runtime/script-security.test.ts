import type { Stats } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insecurityOf, resolveCommand } from '../../../src/runtime/script-security.js';

/** A fake file system: path → [uid, gid, mode]; directories are the paths without a dot in the last part. */
function fs(entries: Record<string, [number, number, number]>) {
  return (p: string): Stats | undefined => {
    const e = entries[p];
    if (!e) return undefined;
    const isFile = /\.[a-z]+$/.test(p) || p.startsWith('/usr/bin/');
    return { uid: e[0], gid: e[1], mode: e[2], isFile: () => isFile } as Stats;
  };
}
const root: Record<string, [number, number, number]> = {
  '/': [0, 0, 0o755],
  '/etc': [0, 0, 0o755],
  '/etc/keepalived': [0, 0, 0o755],
  '/etc/keepalived/check.sh': [0, 0, 0o755],
  '/tmp': [0, 0, 0o1777],
  '/tmp/check.sh': [0, 0, 0o755],
  '/home': [0, 0, 0o755],
  '/home/u': [1000, 1000, 0o755],
  '/home/u/check.sh': [0, 0, 0o755],
};

describe("script security (keepalived's check_script_secure rules)", () => {
  it('a root-owned script in root-owned directories is secure', () => {
    expect(insecurityOf('/etc/keepalived/check.sh', undefined, fs(root))).toBeUndefined();
  });

  it('a directory owned by another user makes a root script insecure', () => {
    expect(insecurityOf('/home/u/check.sh', undefined, fs(root))).toBe('/home/u is owned by uid 1000, not root');
  });

  it('group- or world-writable files and directories are insecure; a sticky directory is not', () => {
    expect(insecurityOf('/tmp/check.sh', undefined, fs(root))).toBeUndefined();
    const groupW = { ...root, '/etc/keepalived': [0, 50, 0o775] as [number, number, number] };
    expect(insecurityOf('/etc/keepalived/check.sh', undefined, fs(groupW))).toBe(
      '/etc/keepalived is writable by group 50',
    );
    const worldFile = { ...root, '/tmp/check.sh': [0, 0, 0o1757] as [number, number, number] };
    expect(insecurityOf('/tmp/check.sh', undefined, fs(worldFile))).toBe('/tmp/check.sh is writable by everyone');
    // Group root may write: root's own group is trusted.
    const rootGroupW = { ...root, '/etc/keepalived': [0, 0, 0o775] as [number, number, number] };
    expect(insecurityOf('/etc/keepalived/check.sh', undefined, fs(rootGroupW))).toBeUndefined();
  });

  it('only scripts that run as root need it: a script user, unless the file is setuid root', () => {
    expect(insecurityOf('/home/u/check.sh', { uid: 65534, gid: 65534 }, fs(root))).toBeUndefined();
    expect(insecurityOf('/home/u/check.sh', { uid: 65534, gid: 0 }, fs(root))).toMatch(/uid 1000/);
    const suid = { ...root, '/home/u/check.sh': [0, 0, 0o4755] as [number, number, number] };
    expect(insecurityOf('/home/u/check.sh', { uid: 65534, gid: 65534 }, fs(suid))).toMatch(/uid 1000/);
  });

  it('a missing file or directory is reported', () => {
    expect(insecurityOf('/etc/nope/check.sh', undefined, fs(root))).toBe('/etc/nope does not exist');
  });

  it('a bare command name is looked up on the script PATH', () => {
    const stat = fs({ '/usr/bin/curl': [0, 0, 0o755] });
    expect(resolveCommand('curl', stat)).toBe('/usr/bin/curl');
    expect(resolveCommand('./x.sh', stat)).toBe('./x.sh');
    expect(resolveCommand('nope', stat)).toBe('nope');
  });
});
