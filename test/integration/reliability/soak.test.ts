import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/util/package-info.js';

/**
 * `vrrp-lab soak`, short form (60 s, a fixed seed) of the benchmark's 30 minutes: random faults on three
 * vrrpd routers, each healed; after every heal exactly one VIP holder within the RFC bound.
 */
const cli = join(packageRoot(), 'dist', 'harness', 'cli', 'vrrp-lab.js');

describe.skipIf(!existsSync(cli))('vrrp-lab soak', () => {
  it('60 s of random faults on vrrpd: no violation of the single-holder invariant', async () => {
    const r = await execa(process.execPath, [cli, 'soak', '--impl', 'vrrpd', '--duration', '60s', '--seed', '7'], {
      reject: false,
      timeout: 300_000,
    });
    const summary = r.stdout.split('\n').find((l) => l.startsWith('[vrrpd] '));
    expect(summary, `${r.stdout.slice(-3000)}\n${r.stderr}`).toMatch(
      /^\[vrrpd\] PASS: seed 7, \d+ faults in \d+ s, 0 violations/,
    );
    expect(r.exitCode).toBe(0);
  }, 360_000);
});
