import { describe, expect, it } from 'vitest';
import { HolderLog } from '../../../harness/observers/holder-log.js';
import type { AdvertEvent, GarpEvent } from '../../../harness/observers/packet-events.js';
import { Timeline } from '../../../harness/observers/timeline.js';
import { renderTimeline } from '../../../harness/observers/timeline-render.js';

const VIP = '10.0.0.254';
const advert = (tMs: number, src: string, priority: number): AdvertEvent => ({
  kind: 'advert',
  tMs,
  wallMs: tMs + 1e12,
  frame: 0,
  srcMac: src === '10.0.0.11' ? '02:00:00:00:00:11' : '02:00:00:00:00:12',
  src,
  dst: '224.0.0.18',
  ttl: 255,
  vrid: 51,
  priority,
  intervalCs: 100,
  version: 3,
  addresses: [VIP],
  valid: true,
  errors: [],
});
const garp = (tMs: number): GarpEvent => ({
  kind: 'garp',
  tMs,
  wallMs: tMs + 1e12,
  frame: 0,
  srcMac: '02:00:00:00:00:12',
  sha: '02:00:00:00:00:12',
  ip: VIP,
  op: 1,
});

/** r1 is killed at 1000; r2 adverts from 3800, GARPs right after, holds from 3801; r1 keeps a stale VIP (quirks Q2). */
function scenario(): Timeline {
  const holders = new HolderLog(
    [
      { tMs: 0, host: 'r1', vip: VIP, held: true, initial: true },
      { tMs: 0, host: 'r2', vip: VIP, held: false, initial: true },
      { tMs: 3801, host: 'r2', vip: VIP, held: true, boundMs: 3796 },
    ],
    5000,
  );
  return Timeline.build({
    holders,
    packets: [
      advert(900, '10.0.0.11', 150),
      advert(3800, '10.0.0.12', 100),
      garp(3800.2),
      garp(3800.4),
      advert(4800, '10.0.0.12', 100),
    ],
    states: [
      { tMs: 3800, host: 'r2', instance: 'VI_1', from: 'BACKUP', to: 'MASTER', reason: 'master-down timer' },
      { tMs: 10, host: 'r2', instance: 'VI_1', from: 'INIT', to: 'BACKUP', reason: 'startup' },
    ],
    faults: [{ tMs: 1000, kind: 'kill', target: 'r1', detail: 'SIGKILL' }],
  });
}

describe('Timeline', () => {
  it('merges all sources in time order, causes before effects at equal times', () => {
    const tl = scenario();
    expect(tl.events.map((e) => `${e.tMs}:${e.source}`)).toEqual([
      '0:holder',
      '0:holder',
      '10:state',
      '900:packet',
      '1000:fault',
      '3800:state',
      '3800:packet',
      '3800.2:packet',
      '3800.4:packet',
      '3801:holder',
      '4800:packet',
    ]);
    expect(tl.endMs).toBe(5000);
  });

  it('answers the scenario queries', () => {
    const tl = scenario();
    const kill = tl.faults()[0]!.tMs;
    expect(tl.firstTime((e) => e.source === 'state' && e.to === 'MASTER', kill)).toBe(3800);
    expect(tl.firstTime((e) => e.source === 'fault', 1001)).toBeUndefined();
    expect(tl.holdersAt(VIP, 3900)).toEqual(['r1', 'r2']);
    expect(tl.twoHolderWindows(VIP)).toMatchObject([
      { holders: ['r1', 'r2'], startMs: 3801, lengthMs: 1199, open: true },
    ]);
    expect(tl.singleHolderSince(VIP)).toBeUndefined();
    expect(tl.advertsFrom('10.0.0.12').map((a) => a.tMs)).toEqual([3800, 4800]);
    expect(tl.advertsFrom('02:00:00:00:00:12', [0, 4000]).map((a) => a.tMs)).toEqual([3800]);
    expect(tl.garpsAfter(kill, VIP)).toHaveLength(2);
    expect(tl.garpsAfter(kill, '10.9.9.9')).toHaveLength(0);
    expect(tl.transitions('r2').map((s) => s.to)).toEqual(['BACKUP', 'MASTER']);
  });

  it('survives a JSON round trip', () => {
    const tl = scenario();
    const back = Timeline.fromJSON(JSON.stringify(tl));
    expect(back.events).toEqual(tl.events);
    expect(back.endMs).toBe(tl.endMs);
    expect(back.twoHolderWindows(VIP)).toEqual(tl.twoHolderWindows(VIP));
    expect(() => Timeline.fromJSON({ format: 'other', events: [] })).toThrow();
  });

  it('renders one line per event relative to the first fault', () => {
    const text = renderTimeline(scenario());
    const lines = text.split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[4]).toBe('      +0.000  fault   kill r1 (SIGKILL)');
    expect(lines[5]).toContain('+2800.000  state   r2 VI_1 BACKUP -> MASTER (master-down timer)');
    expect(lines[6]).toContain('advert v3 vrid 51 prio 100 int 100cs from 10.0.0.12');
    expect(lines[7]).toContain('garp 10.0.0.254 is-at 02:00:00:00:00:12');
    expect(lines[9]).toContain('r2 holds 10.0.0.254 (within 5.0 ms)');
    expect(lines[0]).toContain('-1000.000  holder  r1 holds 10.0.0.254 (initial)');
    expect(renderTimeline(scenario(), { omit: (e) => e.source === 'packet', t0Ms: 0 }).split('\n')).toHaveLength(6);
  });
});
