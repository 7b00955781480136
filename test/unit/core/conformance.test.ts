/**
 * docs/conformance.md S1–S15 on a lossless, zero-delay simulated link (S16, independent instances, is a
 * runtime property). Each router is named by its primary address.
 */
import { describe, expect, it } from 'vitest';
import type { InstanceParams } from '../../../src/core/types.js';
import { Lan, params, S } from './fixtures.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '10.0.0.3';
const MDI_150 = 3_414_062;
const MDI_100 = 3_609_375;
const MDI_50 = 3_804_687;
const SKEW_100 = 609_375;

function lan(...routers: Array<Partial<InstanceParams> & { primaryAddress: string }>): Lan {
  const l = new Lan();
  for (const r of routers) l.add(params(r));
  return l;
}

const startup = { type: 'startup' } as const;
const shutdown = { type: 'shutdown' } as const;

describe('S1–S15 (docs/conformance.md)', () => {
  it('S1: a non-owner starts in Backup and becomes Master only after Master_Down_Interval of silence', () => {
    const l = lan({ primaryAddress: B });
    l.at(0, B, startup);
    l.advanceTo(MDI_100 - 1);
    expect(l.state(B).state).toBe('BACKUP');
    expect(l.sentBy(B)).toEqual([]);
    l.advanceTo(MDI_100);
    expect(l.transitions(B)).toEqual([
      { t: 0, to: 'BACKUP' },
      { t: MDI_100, to: 'MASTER' },
    ]);
    expect(l.holders()).toEqual([B]);
  });

  it('S2: the owner becomes Master at once with an advert and GARPs', () => {
    const l = lan({ primaryAddress: A, priority: 255 });
    l.at(0, A, startup);
    expect(l.trace.filter((x) => x.t === 0).map((x) => x.action.type)).toEqual([
      'add-vips',
      'send-advert',
      'send-garp',
      'arm-timer',
      'arm-timer',
      'transition',
    ]);
    expect(l.holders()).toEqual([A]);
  });

  it('S3: a Backup hearing higher or equal priority never transmits', () => {
    const l = lan(
      { primaryAddress: A, priority: 150 },
      { primaryAddress: B, priority: 100 },
      { primaryAddress: C, priority: 150 },
    );
    l.at(0, A, startup);
    l.at(0, B, startup);
    l.at(5 * S, C, startup); // equal priority and a higher address, but the tie-break is a Master-only rule
    l.advanceTo(60 * S);
    expect(l.sentBy(A).length).toBeGreaterThan(50);
    expect(l.sentBy(B)).toEqual([]);
    expect(l.sentBy(C)).toEqual([]);
    expect(l.holders()).toEqual([A]);
  });

  it('S4: after a silent Master death the Backup takes over within (MDI − interval, MDI] of the crash, MDI after the last advert', () => {
    for (const crashAt of [10 * S, 10.3 * S, 10.99 * S]) {
      const l = lan({ primaryAddress: A, priority: 150 }, { primaryAddress: B });
      l.at(0, A, startup);
      l.at(0, B, startup);
      l.advanceTo(crashAt);
      const lastAdvert = l.sentBy(A).at(-1)?.t ?? Number.NaN;
      l.crash(A);
      l.advanceTo(20 * S);
      const takeover = l.transitions(B).find((x) => x.to === 'MASTER')?.t ?? Number.NaN;
      expect(takeover - lastAdvert).toBe(MDI_100);
      expect(takeover - crashAt).toBeGreaterThan(MDI_100 - S);
      expect(takeover - crashAt).toBeLessThanOrEqual(MDI_100);
    }
  });

  it('S5 + S6: a Master shutdown sends priority 0 and the Backup takes over after Skew_Time', () => {
    const l = lan({ primaryAddress: A, priority: 150 }, { primaryAddress: B });
    l.at(0, A, startup);
    l.at(0, B, startup);
    l.at(10 * S, A, shutdown);
    expect(l.sentBy(A).at(-1)).toEqual({
      t: 10 * S,
      from: A,
      action: { type: 'send-advert', priority: 0, advertIntervalCs: 100 },
    });
    l.advanceTo(20 * S);
    expect(l.transitions(B).at(-1)).toEqual({ t: 10 * S + SKEW_100, to: 'MASTER' });
    expect(l.holders()).toEqual([B]);
  });

  it('S7: a Master receiving priority 0 re-advertises at once and resets its Adver_Timer', () => {
    const l = lan({ primaryAddress: A, priority: 150 }, { primaryAddress: B });
    l.partitioned = true;
    l.at(0, A, startup);
    l.at(0, B, startup);
    l.advanceTo(10.5 * S);
    expect(l.holders()).toEqual([A, B]);
    l.partitioned = false;
    l.inject(B, shutdown);
    expect(l.sentBy(A).at(-1)).toMatchObject({ t: 10.5 * S, action: { priority: 150 } });
    expect(l.state(A).timers.adver).toBe(11.5 * S);
  });

  it('S8 + S11: a higher-priority Backup discards the lower Master, takes over after its MDI, and the old Master goes silent at once', () => {
    const l = lan({ primaryAddress: B }, { primaryAddress: A, priority: 150 });
    l.at(0, B, startup);
    l.at(10 * S, A, startup);
    const takeover = 10 * S + MDI_150;
    l.advanceTo(takeover - 1);
    expect(l.sentBy(A)).toEqual([]);
    expect(l.holders()).toEqual([B]);
    l.advanceTo(takeover);
    expect(l.transitions(A).at(-1)).toEqual({ t: takeover, to: 'MASTER' });
    expect(l.transitions(B).at(-1)).toEqual({ t: takeover, to: 'BACKUP' });
    l.advanceTo(60 * S);
    expect(l.sentBy(B).filter((x) => x.t > takeover)).toEqual([]);
    expect(l.holders()).toEqual([A]);
  });

  it('S9: two equal-priority Masters resolve to the numerically higher address (10.0.0.10 beats 10.0.0.2), in either order', () => {
    for (const order of [
      ['10.0.0.2', '10.0.0.10'],
      ['10.0.0.10', '10.0.0.2'],
    ]) {
      const l = lan(...order.map((primaryAddress) => ({ primaryAddress })));
      l.partitioned = true;
      for (const r of order) l.at(0, r, startup);
      l.advanceTo(10.5 * S);
      expect(l.holders().sort()).toEqual(['10.0.0.10', '10.0.0.2']);
      l.partitioned = false;
      l.advanceTo(15 * S);
      expect(l.holders()).toEqual(['10.0.0.10']);
    }
  });

  it('S10: a Master hearing a lower priority stays Master and re-advertises at once (RFC 9568)', () => {
    const l = lan({ primaryAddress: A, priority: 150 }, { primaryAddress: C, priority: 50 });
    l.partitioned = true;
    l.at(0, A, startup);
    l.at(0, C, startup);
    l.advanceTo(10.5 * S);
    l.partitioned = false;
    const cAdvert = 10 * S + MDI_50 - 3 * S; // C's adverts run at MDI_50 + k s
    l.advanceTo(cAdvert);
    expect(l.sentBy(A).at(-1)).toMatchObject({ t: cAdvert, action: { priority: 150 } });
    expect(l.sentBy(A, 'send-garp').at(-1)).toMatchObject({ t: cAdvert, action: { repeat: 5 } });
    expect(l.holders()).toEqual([A]);
  });

  it('S12: with nopreempt a higher-priority Backup stays Backup while a lower-priority Master advertises', () => {
    const l = lan({ primaryAddress: B }, { primaryAddress: A, priority: 150, preempt: false });
    l.at(0, B, startup);
    l.at(10 * S, A, startup);
    l.advanceTo(70 * S);
    expect(l.sentBy(A)).toEqual([]);
    expect(l.transitions(A)).toEqual([{ t: 10 * S, to: 'BACKUP' }]);
    expect(l.holders()).toEqual([B]);
  });

  it('S13: with backups at 100 and 50, the 100 wins after the Master dies and the 50 never transmits', () => {
    const l = lan({ primaryAddress: A, priority: 150 }, { primaryAddress: B }, { primaryAddress: C, priority: 50 });
    for (const r of [A, B, C]) l.at(0, r, startup);
    l.advanceTo(10 * S);
    const last = l.sentBy(A).at(-1)?.t ?? Number.NaN;
    l.crash(A);
    l.advanceTo(60 * S);
    expect(l.transitions(B).at(-1)).toEqual({ t: last + MDI_100, to: 'MASTER' });
    expect(last + MDI_50 - (last + MDI_100)).toBe(195_312); // the 100 wins by 0.195 s
    expect(l.sentBy(C)).toEqual([]);
    expect(l.holders()).toEqual([B]);
  });

  it('S14: the owner preempts a non-owner Master the moment it starts', () => {
    const l = lan({ primaryAddress: B }, { primaryAddress: A, priority: 255 });
    l.at(0, B, startup);
    l.at(10 * S, A, startup);
    expect(l.transitions(A)).toEqual([{ t: 10 * S, to: 'MASTER' }]);
    expect(l.transitions(B).at(-1)).toEqual({ t: 10 * S, to: 'BACKUP' });
    expect(l.holders()).toEqual([A]);
  });

  it('S15: a v3 Backup adopts a 200 cs Master interval: MDI = 600 cs + Skew(200 cs) after the last advert', () => {
    const l = lan({ primaryAddress: A, priority: 150, advertIntervalCs: 200 }, { primaryAddress: B });
    l.at(0, A, startup);
    l.at(10 * S, B, startup);
    l.advanceTo(20 * S);
    expect(l.state(B).masterAdverIntervalCs).toBe(200);
    const last = l.sentBy(A).at(-1)?.t ?? Number.NaN;
    l.crash(A);
    l.advanceTo(40 * S);
    expect(l.transitions(B).at(-1)).toEqual({ t: last + 6 * S + 1_218_750, to: 'MASTER' });
  });
});
