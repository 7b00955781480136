import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DAEMON_V8_FLAGS } from '../../../src/runtime/v8-tuning.js';

/** Young-generation size after a steady stream of short-lived objects, with `flags` set at run time as the daemon does. */
function newSpaceBytes(flags: readonly string[]): number {
  // A child process: V8 flags are process-wide.
  const script = `
    const v8 = require('node:v8');
    for (const f of ${JSON.stringify(flags)}) v8.setFlagsFromString(f);
    let keep = [];
    for (let i = 0; i < 3e6; i++) { keep.push({ a: i, b: [i] }); if (keep.length > 5000) keep = []; }
    console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

describe('DAEMON_V8_FLAGS', () => {
  it('keep the young generation at its start size (they take effect when set at run time)', () => {
    const tuned = newSpaceBytes(DAEMON_V8_FLAGS);
    expect(tuned).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(newSpaceBytes([])).toBeGreaterThan(tuned);
  });
});
