import { describe, expect, it } from 'vitest';
import type { LabAdapter } from '../../../harness/adapters/lab-adapter.js';
import { vrrpdAdapter } from '../../../harness/adapters/vrrpd.js';
import { selectCases } from '../../../harness/conformance/catalogue.js';
import { runConformance } from '../../../harness/conformance/runner.js';

/**
 * The suite catches a defect in a real implementation, not only in synthetic captures: vrrpd started with every
 * advert interval doubled behind the harness's back (what a daemon that mis-parses `advert_int` would do) must
 * fail the cases that measure the interval, and still pass those it does not touch.
 */

const isRoot = process.getuid?.() === 0;

const doubledInterval: LabAdapter = {
  ...vrrpdAdapter,
  render: (host) =>
    vrrpdAdapter.render({
      ...host,
      instances: host.instances.map((i) => ({ ...i, advertIntervalS: i.advertIntervalS * 2 })),
    }),
};

describe.skipIf(!isRoot)('conformance against a deliberately broken implementation', () => {
  it('fails T5 and T9 (interval on the wire and period), passes T4', { timeout: 120_000 }, async () => {
    const { selected } = selectCases(['T4/v3-ipv4', 'T5/v3-ipv4', 'T9/v3-ipv4']);
    const r = await runConformance({ adapter: doubledInterval }, selected);
    const status = Object.fromEntries(r.cases.map((c) => [c.id, c.status]));
    expect(status).toEqual({ 'T4/v3-ipv4': 'pass', 'T5/v3-ipv4': 'fail', 'T9/v3-ipv4': 'fail' });
    expect(r.cases.find((c) => c.id === 'T5/v3-ipv4')?.detail).toContain('Max Adver Int 20 cs, not 10 cs');
  });
});
