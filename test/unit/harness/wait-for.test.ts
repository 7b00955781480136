import { expect, test } from 'vitest';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { TimeoutError } from '../../../src/util/errors.js';

test('returns as soon as the probe succeeds', async () => {
  let n = 0;
  expect(
    await waitFor(() => ++n, { timeoutMs: 1000, intervalMs: 1, description: 'n >= 3', until: (v) => v >= 3 }),
  ).toBe(3);
});

test('throws TimeoutError with the last observed value', async () => {
  const err = await waitFor(() => 'BACKUP', {
    timeoutMs: 30,
    intervalMs: 5,
    description: 'r1 MASTER',
    until: (s) => s === 'MASTER',
  }).catch((e) => e);
  expect(err).toBeInstanceOf(TimeoutError);
  expect(err.message).toMatch(/timed out after 30 ms waiting for r1 MASTER; last observed: "BACKUP"/);
});

test('a throwing probe counts as not yet', async () => {
  let n = 0;
  const v = await waitFor(
    () => {
      if (++n < 3) throw new Error('not yet');
      return 'ok';
    },
    { timeoutMs: 1000, intervalMs: 1, description: 'ok' },
  );
  expect(v).toBe('ok');
});
