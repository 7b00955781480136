import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/util/package-info.js';

/**
 * `vrrp-lab kill-up`, short form of the benchmark's 50: `vrrp-lab up` (the seed pair: nginx, a switch
 * filter, vrrpd) SIGKILLed at 3 random moments, each followed by `vrrp-lab clean`: no namespace, process,
 * directory, root-namespace link or nft table is left.
 */
const cli = join(packageRoot(), 'dist', 'harness', 'cli', 'vrrp-lab.js');

describe.skipIf(!existsSync(cli))('vrrp-lab up SIGKILLed at random moments', () => {
  it('3 kills, each cleaned: nothing left', async () => {
    const r = await execa(process.execPath, [cli, 'kill-up', '--rounds', '3', '--seed', '5'], {
      reject: false,
      timeout: 300_000,
    });
    expect(r.stdout.match(/^round \d\/3: .*nothing left$/gm), `${r.stdout}\n${r.stderr}`).toHaveLength(3);
    expect(r.stdout).toMatch(/^PASS: 3 kills/m);
    expect(r.exitCode).toBe(0);
  }, 360_000);
});
