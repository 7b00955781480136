import { describe, expect, it } from 'vitest';
import '../../matchers/index.js';
import { TimelineBuilder } from '../../../harness/scenario/synthetic-timeline.js';

const VIP = '10.99.0.254';
const settings = { priority: 100, version: 3 as const, advertIntervalS: 1 };

function failoverTl(takeoverAfterLastAdvertMs: number) {
  return new TimelineBuilder()
    .host('r1')
    .host('r2')
    .vip(VIP)
    .holds('r1', VIP, 100)
    .watched('r2', VIP)
    .adverts('r1', { priority: 150, fromMs: 100, toMs: 5300, everyMs: 1000 })
    .advert('r2', 5100 + takeoverAfterLastAdvertMs, 100)
    .holds('r2', VIP, 5100 + takeoverAfterLastAdvertMs + 5)
    .end(12_000);
}

describe('VRRP matchers', () => {
  it('toHaveSingleVipHolder passes, and fails listing the windows', () => {
    const good = new TimelineBuilder().host('r1').vip(VIP).holds('r1', VIP, 0).end(5000);
    expect(good).toHaveSingleVipHolder(VIP);
    expect({ timeline: good }).toHaveSingleVipHolder(VIP, { fromMs: 1000, toMs: 4000 });
    const split = new TimelineBuilder()
      .host('r1')
      .host('r2')
      .vip(VIP)
      .holds('r1', VIP, 0)
      .holds('r2', VIP, 2000, 2300)
      .end(5000);
    expect(split).not.toHaveSingleVipHolder(VIP);
    expect(() => expect(split).toHaveSingleVipHolder(VIP)).toThrow(/2 holders \(r1, r2\) for 300 ms from \+2.000 s/);
  });

  it('toConvergeWithin passes, and fails when too slow or never', () => {
    const tl = new TimelineBuilder().host('r1').host('r2').vip(VIP).watched('r2', VIP).holds('r1', VIP, 3450).end(6000);
    expect(tl).toConvergeWithin(3500, { host: 'r1' });
    expect(() => expect(tl).toConvergeWithin(3000, { host: 'r1' })).toThrow(/it took 3450.0 ms/);
    expect(() => expect(tl).toConvergeWithin(9000, { host: 'r2' })).toThrow(/never did \(at the end: r1\)/);
    expect(tl).not.toConvergeWithin(3000, { host: 'r1' });
  });

  it('toFailOverWithinRfcWindow passes inside the window and fails outside', () => {
    const opts = { oldMaster: 'r1', newMaster: 'r2', faultMs: 5300, settings, toleranceMs: 20 };
    expect(failoverTl(3610)).toFailOverWithinRfcWindow(opts);
    expect(() => expect(failoverTl(3900)).toFailOverWithinRfcWindow(opts)).toThrow(
      /inside \(2609.4, 3609.4\] ms \+ 20 ms/,
    );
    expect(failoverTl(1500)).not.toFailOverWithinRfcWindow(opts);
  });

  it('rejects something that is not a timeline', () => {
    expect(() => expect({ nope: 1 }).toHaveSingleVipHolder(VIP)).toThrow(/expected a ScenarioTimeline/);
  });
});
