import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vrrpdAdapter } from '../../../harness/adapters/vrrpd.js';
import { CATALOGUE } from '../../../harness/conformance/catalogue.js';
import { writeConformanceReports } from '../../../harness/conformance/report/write.js';
import { runConformance } from '../../../harness/conformance/runner.js';

/**
 * The whole conformance catalogue against vrrpd, through the same engine `vrrp-lab conform` uses: no case may
 * fail, every skip names its reason, and the run stays within the 5-minute budget on the 2-core machine.
 */

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('conformance catalogue against vrrpd', () => {
  it('passes every case it does not skip for a named reason', { timeout: 600_000 }, async () => {
    const lines: string[] = [];
    const r = await runConformance({ adapter: vrrpdAdapter, keep: process.env.VRRPLAB_KEEP === '1' }, CATALOGUE, {
      progress: (p) => {
        if (p.status !== 'start') lines.push(`${p.id} ${p.status} ${p.status === 'pass' ? '' : (p.detail ?? '')}`);
      },
    });
    const dir = await mkdtemp(join(tmpdir(), 'conform-'));
    await writeConformanceReports(dir, [r]);
    console.info(
      `vrrpd conformance: ${r.cases.length} variants in ${(r.wallMs / 1000).toFixed(1)} s; reports in ${dir}`,
    );
    const notPass = r.cases.filter((c) => c.status !== 'pass');
    for (const c of notPass) console.info(`  ${c.id}: ${c.status} — ${c.detail}`);
    expect(r.cases.map((c) => c.id)).toEqual(CATALOGUE.map((c) => c.id));
    expect(r.cases.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    // Never a deviation for vrrpd: where it differs from the RFC, that is a bug to fix.
    expect(r.cases.filter((c) => c.status === 'deviation')).toEqual([]);
    for (const c of r.cases.filter((x) => x.status === 'skip')) expect(c.detail).toMatch(/^vrrpd: .{10,}/);
    for (const c of r.cases.filter((x) => x.status === 'pass'))
      expect(Object.keys(c.measurements).length).toBeGreaterThan(0);
    const json = JSON.parse(await readFile(join(dir, 'conformance.json'), 'utf8'));
    expect(json.implementations[0].cases).toHaveLength(CATALOGUE.length);
    expect(r.wallMs).toBeLessThan(300_000);
  });
});
