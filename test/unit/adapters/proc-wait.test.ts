import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAlive, procState, signal, waitExit } from '../../../harness/adapters/proc.js';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { TimeoutError } from '../../../src/util/errors.js';

describe('proc', () => {
  it('reads the state of a live process and of a missing pid', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(procState(process.pid)).toMatch(/^[RS]$/);
    expect(procState(2 ** 22 + 1)).toBeUndefined();
    expect(signal(2 ** 22 + 1, 'SIGTERM')).toBe(false);
  });

  it('sees a stopped process as alive (T) and a killed one as gone', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid!;
    signal(pid, 'SIGSTOP');
    await waitFor(() => procState(pid) === 'T', { description: 'stopped', timeoutMs: 2000 });
    expect(isAlive(pid)).toBe(true);
    signal(pid, 'SIGKILL');
    await waitExit(pid, 2000, 'sleep');
    expect(isAlive(pid)).toBe(false);
  });
});

describe('waitFor', () => {
  it('returns the first truthy value and treats throws as not yet', async () => {
    let n = 0;
    const v = await waitFor(
      () => {
        n++;
        if (n < 3) throw new Error('not yet');
        return n;
      },
      { description: 'n', timeoutMs: 1000, intervalMs: 1 },
    );
    expect(v).toBe(3);
  });

  it('times out with the last observation', async () => {
    await expect(waitFor(() => false, { description: 'never', timeoutMs: 30, intervalMs: 5 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });
});
