import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { trackProcessDefaults } from '../../../src/config/build-trackers.js';
import type { TrackProcess } from '../../../src/config/model.js';
import {
  matchesProcess,
  ProcessScanner,
  ProcessTracker,
  scanProcesses,
} from '../../../src/runtime/tracking/process-tracker.js';

const def = (over: Partial<TrackProcess> = {}): TrackProcess => ({
  ...trackProcessDefaults('tp', { file: 't.conf', line: 1, column: 1 }, 'haproxy'),
  ...over,
});

/** A fake /proc: one directory per PID with stat and cmdline. */
function fakeProc(procs: { pid: number; comm: string; state?: string; argv: string[] }[]): string {
  const root = mkdtempSync(join(tmpdir(), 'proc-'));
  mkdirSync(join(root, 'self'));
  for (const p of procs) {
    const dir = join(root, String(p.pid));
    mkdirSync(dir);
    writeFileSync(join(dir, 'stat'), `${p.pid} (${p.comm}) ${p.state ?? 'S'} 1 1 1 0 -1\n`);
    writeFileSync(join(dir, 'cmdline'), `${p.argv.join('\0')}\0`);
  }
  return root;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('track_process matching (keepalived.conf(5) vrrp_track_process)', () => {
  it('matches the process name exactly, not as a pattern, and long names on their first 15 characters', () => {
    expect(matchesProcess(def(), { comm: 'haproxy' })).toBe(true);
    expect(matchesProcess(def(), { comm: 'haproxy2' })).toBe(false);
    expect(matchesProcess(def({ process: 'ssh' }), { comm: 'sshd' })).toBe(false);
    expect(matchesProcess(def({ process: 'a-very-long-process-name' }), { comm: 'a-very-long-pro' })).toBe(true);
  });

  it('full_command compares argv[0]; parameters match exactly, partially or initially', () => {
    const argv = ['/usr/sbin/haproxy', '-f', '/etc/haproxy/haproxy.cfg'];
    const p = { comm: 'haproxy', argv };
    expect(matchesProcess(def({ fullCommand: true, process: '/usr/sbin/haproxy' }), p)).toBe(true);
    expect(matchesProcess(def({ fullCommand: true }), p)).toBe(false);
    const params = (paramMatch: TrackProcess['paramMatch'], ...ps: string[]) => def({ params: ps, paramMatch });
    expect(matchesProcess(params('exact', '-f', '/etc/haproxy/haproxy.cfg'), p)).toBe(true);
    expect(matchesProcess(params('exact', '-f'), p)).toBe(false);
    expect(matchesProcess(params('partial', '-f'), p)).toBe(true);
    expect(matchesProcess(params('initial', '-f', '/etc/haproxy/'), p)).toBe(true);
    expect(matchesProcess(params('initial', '-f', '/etc/nginx/'), p)).toBe(false);
    // param_match with no PARAMs: the command must have none.
    expect(matchesProcess(params('exact'), p)).toBe(false);
    expect(matchesProcess(params('exact'), { comm: 'haproxy', argv: ['haproxy'] })).toBe(true);
  });

  it('scans a /proc tree: zombies do not run, argv only when asked', () => {
    const root = fakeProc([
      { pid: 10, comm: 'haproxy', argv: ['haproxy', '-f', 'a'] },
      { pid: 11, comm: 'haproxy', state: 'Z', argv: [] },
      { pid: 12, comm: 'web (content)', argv: ['firefox'] },
    ]);
    expect(scanProcesses(false, root)).toEqual([{ comm: 'haproxy' }, { comm: 'web (content)' }]);
    expect(scanProcesses(true, root)[0]).toEqual({ comm: 'haproxy', argv: ['haproxy', '-f', 'a'] });
    const t = new ProcessTracker(def({ quorum: 1, quorumMax: 1 }));
    new ProcessScanner([t], 200, root).scan();
    expect([t.count, t.up]).toEqual([1, true]);
  });
});

describe('ProcessTracker', () => {
  it('is up while quorum ≤ count ≤ quorum_max; the first count decides at once', () => {
    const t = new ProcessTracker(def({ quorum: 2, quorumMax: 3 }));
    const changes: boolean[] = [];
    t.on('change', (u) => changes.push(u));
    t.update(1);
    expect(t.up).toBe(false);
    for (const n of [2, 3, 4, 0]) t.update(n);
    expect(changes).toEqual([true, false]);
  });

  it('fork_delay and terminate_delay: a change counts only if it lasts', () => {
    vi.useFakeTimers();
    const t = new ProcessTracker(def({ forkDelay: 1, terminateDelay: 2 }));
    const changes: boolean[] = [];
    t.on('change', (u) => changes.push(u));
    t.update(1);
    t.update(0); // lost...
    vi.advanceTimersByTime(1500);
    t.update(1); // ...and back within terminate_delay: no change
    vi.advanceTimersByTime(5000);
    expect(changes).toEqual([]);
    t.update(0);
    vi.advanceTimersByTime(1999);
    expect(changes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(changes).toEqual([false]);
    t.update(1);
    vi.advanceTimersByTime(999);
    expect(t.up).toBe(false);
    vi.advanceTimersByTime(1);
    expect(changes).toEqual([false, true]);
  });
});
