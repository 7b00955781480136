import { describe, expect, it } from 'vitest';
import '../../matchers/index.js';
import { linkFlap } from '../../../scenarios/link-flap.js';
import { lossyLink } from '../../../scenarios/lossy-link.js';
import { isRoot, mark, run } from './run.js';

const VIP = '10.99.0.254';

describe.skipIf(!isRoot)('scenarios: chaos (netns)', () => {
  it('link-flap: one holder at the end; transitions reported', async (ctx) => {
    const r = await run(linkFlap, ctx);
    expect(r.failures).toEqual([]);
    expect(typeof r.measurements.transitions).toBe('number');
    expect(r.timeline).toHaveSingleVipHolder(VIP, { fromMs: mark(r, 'settled') });
  });

  it('lossy-link: one holder after the loss; transitions reported', async (ctx) => {
    const r = await run(lossyLink, ctx);
    expect(r.failures).toEqual([]);
    expect(typeof r.measurements.transitions).toBe('number');
    expect(r.timeline).toHaveSingleVipHolder(VIP, { fromMs: mark(r, 'settled') });
  });
});
