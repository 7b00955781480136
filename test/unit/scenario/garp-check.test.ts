import { describe, expect, it } from 'vitest';
import {
  checkAllGarps,
  checkGarps,
  expectedGarpMac,
  garpSchedule,
  masterships,
} from '../../../harness/scenario/garp-check.js';
import { TimelineBuilder } from '../../../harness/scenario/synthetic-timeline.js';

const VIP = '10.99.0.254';
const MAC = '02:aa:00:00:00:02';
const defaults = { masterRepeat: 5, masterDelayS: 5, masterRefreshS: 0 };

function opts(untilMs: number, impl: 'keepalived' | 'frr' = 'keepalived') {
  return {
    host: 'r2',
    vips: [VIP],
    masterSinceMs: 1000,
    untilMs,
    schedule: garpSchedule(impl, defaults),
    expectedMac: expectedGarpMac(impl, MAC, 51),
    toleranceMs: 50,
  };
}

describe('garpSchedule', () => {
  it('follows keepalived defaults (5 now + 5 after 5 s), FRR sends exactly one', () => {
    expect(garpSchedule('keepalived', defaults).bursts).toEqual([
      { offsetMs: 0, count: 5 },
      { offsetMs: 5000, count: 5 },
    ]);
    expect(garpSchedule('vrrpd', { ...defaults, masterDelayS: 0 }).bursts).toEqual([{ offsetMs: 0, count: 5 }]);
    expect(garpSchedule('frr', defaults).bursts).toEqual([{ offsetMs: 0, count: 1 }]);
    expect(expectedGarpMac('frr', MAC, 51)).toBe('00:00:5e:00:01:33');
  });
});

describe('checkGarps', () => {
  const tl = () => new TimelineBuilder().host('r2', { mac: MAC });

  it('passes the keepalived schedule', () => {
    const t = tl().garps('r2', VIP, 1000.3, 5).garps('r2', VIP, 6001, 5).end(8000);
    const r = checkGarps(t, opts(8000));
    expect(r.failures).toEqual([]);
    expect(r.measurements[`garp.${VIP}.count`]).toBe(10);
    expect(r.measurements[`garp.${VIP}.burst2OffsetMs`]).toBe(5001);
  });

  it('does not check a burst that is not due yet', () => {
    const t = tl().garps('r2', VIP, 1000.3, 5).end(3000);
    expect(checkGarps(t, opts(3000)).failures).toEqual([]);
  });

  it('reports a short burst, a missing second burst, a wrong MAC and an unscheduled burst', () => {
    expect(checkGarps(tl().garps('r2', VIP, 1000, 3).garps('r2', VIP, 6000, 5).end(8000), opts(8000)).failures).toEqual(
      [`garp: ${VIP} burst 1 (+0 ms): 3 GARPs from r2, expected 5`],
    );
    expect(checkGarps(tl().garps('r2', VIP, 1000, 5).end(8000), opts(8000)).failures[0]).toMatch(/burst 2 .*0 GARPs/);
    const wrongMac = tl().garps('r2', VIP, 1000, 5, { mac: '02:bb:00:00:00:09' }).end(3000);
    expect(checkGarps(wrongMac, opts(3000)).failures[0]).toMatch(/sender MAC 02:bb:00:00:00:09, expected 02:aa/);
    // keepalived's delayed burst of an earlier mastership landing in this one (docs/quirks.md Q6).
    const extra = tl().garps('r2', VIP, 1000, 5).garps('r2', VIP, 3400, 5).end(4000);
    expect(checkGarps(extra, opts(4000)).failures[0]).toMatch(
      /5 GARP\(s\) .* outside the schedule, first at \+3.400 s/,
    );
  });

  it('checks FRR: exactly one GARP from the virtual MAC', () => {
    const ok = tl().garps('r2', VIP, 1000, 1, { mac: '00:00:5e:00:01:33' }).end(8000);
    expect(checkGarps(ok, opts(8000, 'frr')).failures).toEqual([]);
    const two = tl().garps('r2', VIP, 1000, 2, { mac: '00:00:5e:00:01:33' }).end(8000);
    expect(checkGarps(two, opts(8000, 'frr')).ok).toBe(false);
  });

  it("counts only the Master's own GARPs (another node's are judged against its own masterships)", () => {
    const t = tl()
      .host('r1', { mac: '02:aa:00:00:00:01' })
      .garps('r2', VIP, 1000, 5)
      .garps('r1', VIP, 1010, 5)
      .end(3000);
    expect(checkGarps(t, opts(3000)).failures).toEqual([]);
  });

  it('explains bursts that answer a lower-priority advert (keepalived garp_lower_prio_repeat), not FRR', () => {
    const t = tl().garps('r2', VIP, 1000.3, 5).garps('r2', VIP, 1500.2, 5).garps('r2', VIP, 6000.5, 5).end(4000);
    expect(checkGarps(t, { ...opts(4000), lowerPrioAdvertsMs: [1500] }).failures).toEqual([]);
    expect(
      checkGarps(t, { ...opts(4000), lowerPrioAdvertsMs: [1500] }).measurements[`garp.${VIP}.lowerPrioGarps`],
    ).toBe(5);
    expect(checkGarps(t, opts(4000)).failures[0]).toMatch(/outside the schedule/);
  });
});

describe('masterships and checkAllGarps', () => {
  const mac = (h: string) => ({ r1: '02:aa:00:00:00:01', r2: MAC })[h];
  const base = () =>
    new TimelineBuilder()
      .host('r1', { mac: '02:aa:00:00:00:01' })
      .host('r2', { mac: MAC })
      .adverts('r1', { priority: 150, fromMs: 1000, toMs: 8000, everyMs: 200 })
      .advert('r1', 8000, 0)
      .adverts('r2', { priority: 100, fromMs: 8120, toMs: 15_000, everyMs: 200 });
  const o = {
    impl: 'keepalived' as const,
    garp: defaults,
    vrid: 51,
    intervalMs: 200,
    vips: [VIP],
    mac,
    toleranceMs: 50,
  };

  it('splits the capture into masterships', () => {
    const tl = base().end(15_000);
    expect(masterships(tl, 51, 200).map((m) => [m.host, m.startMs, Math.round(m.endMs), m.open])).toEqual([
      ['r1', 1000, 8000, false],
      ['r2', 8120, 15_000, true],
    ]);
    // A startup race: r2 advertises twice while r1 is Master; both runs are masterships.
    const race = base().advert('r2', 1010, 100).advert('r2', 1210, 100).end(15_000);
    expect(masterships(race, 51, 200).map((m) => [m.host, m.startMs, Math.round(m.endMs)])).toEqual([
      ['r1', 1000, 8000],
      ['r2', 1010, 1410],
      ['r2', 8120, 15_000],
    ]);
  });

  it('passes when each mastership follows the schedule', () => {
    const tl = base()
      .garps('r1', VIP, 1000.2, 5)
      .garps('r1', VIP, 6000.5, 5)
      .garps('r2', VIP, 8120.2, 5)
      .garps('r2', VIP, 13_121, 5)
      .end(15_000);
    const r = checkAllGarps(tl, o);
    expect(r.failures).toEqual([]);
    expect(r.measurements['garp.masterships']).toBe(2);
  });

  it('reports a burst sent by a node that is no longer Master (quirks Q6)', () => {
    const tl = base()
      .garps('r1', VIP, 1000.2, 5)
      .garps('r1', VIP, 6000.5, 5)
      .garps('r2', VIP, 8120.2, 5)
      .garps('r2', VIP, 13_121, 5)
      .garps('r1', VIP, 13_000, 5)
      .end(15_000);
    const r = checkAllGarps(tl, o);
    expect(r.failures).toEqual([
      'garp: 5 GARP(s) from r1 while it was not Master, first at +13.000 s (a delayed burst that outlived its mastership: docs/quirks.md Q6)',
    ]);
  });
});
