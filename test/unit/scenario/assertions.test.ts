import { describe, expect, it } from 'vitest';
import {
  checkConvergence,
  checkFailover,
  checkGracefulTakeover,
  checkSingleHolder,
  convergenceTime,
  countTransitions,
  firstMultiHolder,
} from '../../../harness/scenario/assertions.js';
import { TimelineBuilder } from '../../../harness/scenario/synthetic-timeline.js';

const VIP = '10.99.0.254';

function three() {
  return new TimelineBuilder()
    .host('r1')
    .host('r2')
    .host('r3')
    .vip(VIP)
    .watched('r1', VIP)
    .watched('r2', VIP)
    .watched('r3', VIP);
}

describe('checkSingleHolder', () => {
  it('passes when one host holds the VIP over the whole window', () => {
    const tl = three().holds('r1', VIP, 100).end(10_000);
    const r = checkSingleHolder(tl, VIP, { fromMs: 200, toMs: 10_000 });
    expect(r.failures).toEqual([]);
    expect(r.measurements['singleHolder.badWindows']).toBe(0);
  });

  it('reports every 0- and 2-holder window with its start and length', () => {
    const tl = three().holds('r1', VIP, 100, 5000).holds('r2', VIP, 5200).holds('r3', VIP, 7000, 7030).end(10_000);
    const r = checkSingleHolder(tl, VIP, { fromMs: 200, toMs: 10_000 });
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([
      'singleHolder: no holder for 200 ms from +5.000 s',
      'singleHolder: 2 holders (r2, r3) for 30 ms from +7.000 s',
    ]);
    expect(r.measurements['singleHolder.worstBadWindowMs']).toBe(200);
  });

  it('tolerates a declared transient but not a longer one', () => {
    const tl = three().holds('r1', VIP, 100, 5010).holds('r2', VIP, 5000).end(10_000);
    const allowed = [{ kind: 'multi' as const, maxMs: 20, fromMs: 4000, toMs: 6000, reason: 'takeover' }];
    expect(checkSingleHolder(tl, VIP, { fromMs: 200, toMs: 10_000 }, { allowed }).ok).toBe(true);
    const short = [{ ...allowed[0]!, maxMs: 5 }];
    expect(checkSingleHolder(tl, VIP, { fromMs: 200, toMs: 10_000 }, { allowed: short }).ok).toBe(false);
    const elsewhere = [{ ...allowed[0]!, fromMs: 8000, toMs: 9000 }];
    expect(checkSingleHolder(tl, VIP, { fromMs: 200, toMs: 10_000 }, { allowed: elsewhere }).ok).toBe(false);
  });

  it('does not count a window shorter than the sampling uncertainty of its edges', () => {
    // holds() stamps every change with a 5 ms uncertainty (boundMs = tMs - 5): a 0.1 ms gap is noise, 6 ms is not.
    const noise = three().holds('r2', VIP, 100, 3000).holds('r1', VIP, 3000.1).end(6000);
    const r = checkSingleHolder(noise, VIP, { fromMs: 200, toMs: 6000 });
    expect(r.failures).toEqual([]);
    expect(r.measurements['singleHolder.belowSamplingResolution']).toBe(1);
    const gap = three().holds('r2', VIP, 100, 3000).holds('r1', VIP, 3006).end(6000);
    expect(checkSingleHolder(gap, VIP, { fromMs: 200, toMs: 6000 }).failures).toEqual([
      'singleHolder: no holder for 6 ms from +3.000 s',
    ]);
  });

  it('fails on a range the sampler did not observe', () => {
    const tl = new TimelineBuilder().host('r1').vip(VIP).end(1000);
    expect(checkSingleHolder(tl, VIP, { fromMs: 0, toMs: 1000 }).failures[0]).toMatch(/no holder observation/);
  });
});

describe('convergence', () => {
  it('is the first instant with exactly the expected holder', () => {
    const tl = three().holds('r2', VIP, 3400, 3430).holds('r1', VIP, 3420).end(8000);
    expect(convergenceTime(tl, VIP, 'r1', 0)).toBe(3430);
    const r = checkConvergence(tl, { vip: VIP, host: 'r1', fromMs: 0, boundMs: 3500 });
    expect(r.ok).toBe(true);
    expect(r.measurements.convergenceMs).toBe(3430);
  });

  it('fails beyond the bound and when another host ends up holding', () => {
    const late = three().holds('r1', VIP, 4000).end(8000);
    expect(checkConvergence(late, { vip: VIP, host: 'r1', fromMs: 0, boundMs: 3500 }).failures[0]).toMatch(
      /4000 ms > 3500 ms/,
    );
    const wrong = three().holds('r2', VIP, 3000).end(8000);
    expect(checkConvergence(wrong, { vip: VIP, host: 'r1', fromMs: 0, boundMs: 3500 }).failures[0]).toMatch(
      /never became the only holder.*at the end: r2/,
    );
  });

  it('ignores a flicker shorter than stableMs', () => {
    const tl = three().holds('r1', VIP, 1000, 1020).holds('r1', VIP, 3000).end(8000);
    expect(convergenceTime(tl, VIP, 'r1', 0, 500)).toBe(3000);
  });
});

describe('checkFailover', () => {
  // r1 (150) advertises every 1000 ms until it is killed at 5300; r2 (100) has MDI 3609.375 ms.
  const base = () =>
    three().holds('r1', VIP, 100).adverts('r1', { priority: 150, fromMs: 100, toMs: 5300, everyMs: 1000 });
  const opts = {
    vip: VIP,
    oldMaster: 'r1',
    newMaster: 'r2',
    faultMs: 5300,
    masterDownMs: 3609.375,
    advertIntervalMs: 1000,
    toleranceMs: 50,
  };

  it('passes when the takeover comes Master_Down_Interval after the last advert', () => {
    const tl = base()
      .advert('r2', 5100 + 3610, 100)
      .holds('r2', VIP, 5100 + 3615)
      .end(12_000);
    const r = checkFailover(tl, opts);
    expect(r.failures).toEqual([]);
    expect(r.measurements.failoverMs).toBe(3610);
    expect(r.measurements.failoverFromFaultMs).toBe(3410);
  });

  it('fails a takeover that is too late or too early', () => {
    const late = base()
      .advert('r2', 5100 + 3800, 100)
      .holds('r2', VIP, 5100 + 3805)
      .end(12_000);
    expect(checkFailover(late, opts).failures[0]).toMatch(/3800 ms after r1's last advert.*outside \(2609.4, 3609.4\]/);
    const early = base()
      .advert('r2', 5100 + 1000, 100)
      .holds('r2', VIP, 6105)
      .end(12_000);
    expect(checkFailover(early, opts).ok).toBe(false);
  });

  it('fails when the wrong backup takes over first, or nobody does', () => {
    const wrong = base().advert('r3', 8700, 50).advert('r2', 8710, 100).holds('r2', VIP, 8715).end(12_000);
    expect(checkFailover(wrong, opts).failures[0]).toMatch(/r3 advertised as Master/);
    const none = base().end(12_000);
    expect(checkFailover(none, opts).failures[0]).toMatch(/r2 never took over/);
  });
});

describe('checkGracefulTakeover', () => {
  const opts = { vip: VIP, oldMaster: 'r1', newMaster: 'r2', stopMs: 5000, skewMs: 609.375, toleranceMs: 50 };
  it('measures from the priority-0 advert', () => {
    const tl = three()
      .holds('r1', VIP, 100, 5010)
      .advert('r1', 5002, 0)
      .advert('r2', 5002 + 612, 100)
      .end(8000);
    const r = checkGracefulTakeover(tl, opts);
    expect(r.failures).toEqual([]);
    expect(r.measurements.gracefulMs).toBe(612);
  });
  it('fails without a priority-0 advert, or beyond Skew_Time + tolerance', () => {
    const noZero = three().advert('r2', 5600, 100).end(8000);
    expect(checkGracefulTakeover(noZero, opts).failures[0]).toMatch(/no priority-0 advert/);
    const slow = three()
      .advert('r1', 5002, 0)
      .advert('r2', 5002 + 3600, 100)
      .end(9000);
    expect(checkGracefulTakeover(slow, opts).failures[0]).toMatch(/beyond Skew_Time 609.4 \+ 50 ms/);
  });
});

describe('transitions and split brain', () => {
  it('counts acquisitions and reported MASTER entries', () => {
    const tl = three()
      .holds('r1', VIP, 100, 2000)
      .holds('r2', VIP, 2000, 4000)
      .holds('r1', VIP, 4000)
      .state('r1', 100, 'MASTER')
      .state('r2', 2000, 'MASTER')
      .state('r1', 4000, 'MASTER')
      .end(6000);
    expect(countTransitions(tl, VIP, { fromMs: 0, toMs: 6000 })).toEqual({ acquisitions: 3, masterEntries: 3 });
    expect(countTransitions(tl, VIP, { fromMs: 1000, toMs: 6000 })).toEqual({ acquisitions: 2, masterEntries: 2 });
  });

  it('finds the first ≥2-holder window with its start', () => {
    const tl = new TimelineBuilder()
      .host('n14')
      .host('n15')
      .vip('10.99.0.16')
      .holds('n14', '10.99.0.16', 3490)
      .holds('n15', '10.99.0.16', 3700)
      .end(9000);
    const w = firstMultiHolder(tl, '10.99.0.16', 0);
    expect(w?.startMs).toBe(3700);
    expect(w?.holders).toEqual(['n14', 'n15']);
    expect(firstMultiHolder(three().holds('r1', VIP, 100).end(5000), VIP, 0)).toBeUndefined();
  });
});
