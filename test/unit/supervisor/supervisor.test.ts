import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { supervise } from '../../../src/supervisor/supervisor.js';
import { createLogger } from '../../../src/util/logger.js';

const worker = join(import.meta.dirname, 'fixtures', 'worker.mjs');

function run(mode: string, o: { restart?: boolean; maxRestarts?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpd-sup-'));
  const counter = join(dir, 'starts');
  const lines: string[] = [];
  const log = createLogger({ format: 'json', sink: { write: (l) => void lines.push(l) } });
  const done = supervise({
    workerArgs: [mode, counter],
    workerCommand: [process.execPath, worker],
    stateFile: join(dir, 'crash-state'),
    // In a directory that does not exist yet, like /run/vrrpd on a fresh boot.
    pidFile: join(dir, 'run', 'vrrpd.pid'),
    restart: o.restart ?? true,
    maxRestarts: o.maxRestarts ?? 5,
    log,
  });
  const starts = () => (existsSync(counter) ? readFileSync(counter, 'utf8').length : 0);
  return { done, starts, lines, dir };
}

describe('vrrpd supervisor (no state machine, no config: restarts and releases)', () => {
  it('a SIGKILLed worker is recovered and restarted, up to the crash-loop limit', async () => {
    const r = run('sigkill', { maxRestarts: 2 });
    expect(await r.done).toBe(1);
    expect(r.starts()).toBe(3);
    const recovered = r.lines.filter((l) => l.includes('worker died without its shutdown'));
    expect(recovered).toHaveLength(3);
    expect(recovered[0]).toContain('"signal":"SIGKILL"');
    expect(r.lines.at(-1)).toContain('giving up');
  });

  it('an uncaught exception counts as a crash; --no-restart stops after the recovery', async () => {
    const r = run('throw', { restart: false });
    expect(await r.done).toBe(1);
    expect(r.starts()).toBe(1);
    expect(r.lines.some((l) => l.includes('worker died without its shutdown') && l.includes('"code":1'))).toBe(true);
  });

  it('a worker failing before its instances run (no crash state) is not restarted', async () => {
    const r = run('early');
    expect(await r.done).toBe(1);
    expect(r.starts()).toBe(1);
    expect(r.lines.some((l) => l.includes('not restarting'))).toBe(true);
  });

  it('a clean worker exit ends the supervisor with 0 and removes its pid file', async () => {
    const r = run('clean');
    expect(await r.done).toBe(0);
    expect(existsSync(join(r.dir, 'run', 'vrrpd.pid'))).toBe(false);
  });

  it('SIGTERM to the supervisor is relayed: the worker shuts down cleanly, nothing restarts', async () => {
    const r = run('serve');
    await waitFor(() => existsSync(join(r.dir, 'crash-state')), { timeoutMs: 10_000, description: 'worker up' });
    expect(readFileSync(join(r.dir, 'run', 'vrrpd.pid'), 'utf8').trim()).toBe(String(process.pid));
    process.emit('SIGTERM', 'SIGTERM');
    expect(await r.done).toBe(0);
    expect(r.starts()).toBe(1);
  });
});
