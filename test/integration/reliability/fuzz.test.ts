import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/util/package-info.js';

/**
 * `vrrp-lab fuzz`, the short form of the benchmark's 10^6: 10^4 fuzzed packets at vrrpd, keepalived and FRR
 * in one run, through the CLI a user runs. Each must stay up, r1 Master and r2 Backup, one VIP holder; for
 * vrrpd every packet that reached a socket is accounted for by its counters.
 */
const cli = join(packageRoot(), 'dist', 'harness', 'cli', 'vrrp-lab.js');

describe.skipIf(!existsSync(cli))('vrrp-lab fuzz', () => {
  it('10^4 packets: vrrpd, keepalived and FRR survive unmoved; vrrpd accounts for every packet', async () => {
    const r = await execa(
      process.execPath,
      [cli, 'fuzz', '--impl', 'vrrpd', '--impl', 'keepalived', '--impl', 'frr', '--packets', '10000', '--seed', '11'],
      { reject: false, timeout: 300_000 },
    );
    const out = r.stdout;
    expect(out, r.stderr).toMatch(/\[vrrpd\] PASS: 10000 packets/);
    expect(out).toMatch(/\[keepalived\] PASS: 10000 packets/);
    expect(out).toMatch(/\[frr\] PASS: 10000 packets/);
    for (const line of out.split('\n').filter((l) => / accounted \(/.test(l))) {
      const m = /(\d+) accounted .* of (\d+) expected/.exec(line);
      // ±1: a peer advert in flight while the two status snapshots were taken.
      expect(Math.abs(Number(m?.[1]) - Number(m?.[2])), line).toBeLessThanOrEqual(1);
    }
    expect(out.match(/ accounted \(/g)).toHaveLength(2);
    expect(r.exitCode).toBe(0);
  }, 360_000);
});
