/** One test per row of the RFC 5798 §6.4 state table (docs/protocol.md §5), on a virtual clock. */
import { describe, expect, it } from 'vitest';
import type { InstanceParams } from '../../../src/core/types.js';
import { advert, Instance, params, S } from './fixtures.js';

const MDI = 3_609_375; // prio 100, 100 cs
const SKEW = 609_375;

/** An instance that became Master when its Master_Down_Timer fired at t = MDI. */
function master(overrides: Partial<InstanceParams> = {}): Instance {
  const i = new Instance(params(overrides));
  i.send({ type: 'startup' }, 0);
  i.advanceTo(MDI);
  expect(i.snap.state).toBe('MASTER');
  return i;
}

function backup(overrides: Partial<InstanceParams> = {}): Instance {
  const i = new Instance(params(overrides));
  i.send({ type: 'startup' }, 0);
  return i;
}

describe('Initialize', () => {
  it('Startup, priority 255 → advert, GARP, Adver_Timer → Master', () => {
    const i = new Instance(params({ priority: 255 }));
    expect(i.send({ type: 'startup' }, 0)).toEqual([
      { type: 'add-vips' },
      { type: 'send-advert', priority: 255, advertIntervalCs: 100 },
      { type: 'send-garp', repeat: 5 },
      { type: 'arm-timer', timer: 'adver', deadlineUs: S },
      { type: 'arm-timer', timer: 'garpDelay', deadlineUs: 5 * S },
      { type: 'transition', from: 'INIT', to: 'MASTER', reason: 'startup: address owner (priority 255)' },
    ]);
    expect(i.snap.state).toBe('MASTER');
    expect(i.snap.vipsInstalled).toBe(true);
  });

  it('Startup, priority < 255 → Master_Adver_Interval = Advertisement_Interval, Master_Down_Timer → Backup', () => {
    const i = new Instance(params({ advertIntervalCs: 200 }));
    expect(i.send({ type: 'startup' }, 1_000)).toEqual([
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: 1_000 + 7_218_750 },
      { type: 'transition', from: 'INIT', to: 'BACKUP', reason: 'startup' },
    ]);
    expect(i.snap.state).toBe('BACKUP');
    expect(i.snap.masterAdverIntervalCs).toBe(200);
    expect(i.snap.timers).toEqual({ masterDown: 7_219_750 });
  });
});

describe('Backup', () => {
  it('Shutdown → cancel Master_Down_Timer → Initialize', () => {
    const i = backup();
    expect(i.send({ type: 'shutdown' }, S)).toEqual([
      { type: 'cancel-timer', timer: 'masterDown' },
      { type: 'transition', from: 'BACKUP', to: 'INIT', reason: 'shutdown' },
    ]);
    expect(i.snap.timers).toEqual({});
    expect(i.advanceTo(10 * S)).toEqual([]);
  });

  it('Master_Down_Timer fires → advert, GARP, Adver_Timer → Master', () => {
    const i = backup();
    expect(i.advanceTo(MDI - 1)).toEqual([]);
    expect(i.advanceTo(MDI)).toEqual([
      {
        t: MDI,
        actions: [
          { type: 'add-vips' },
          { type: 'send-advert', priority: 100, advertIntervalCs: 100 },
          { type: 'send-garp', repeat: 5 },
          { type: 'arm-timer', timer: 'adver', deadlineUs: MDI + S },
          { type: 'arm-timer', timer: 'garpDelay', deadlineUs: MDI + 5 * S },
          { type: 'transition', from: 'BACKUP', to: 'MASTER', reason: 'master down timer expired' },
        ],
      },
    ]);
  });

  it('advert with priority 0 → Master_Down_Timer = Skew_Time', () => {
    const i = backup();
    expect(i.send(advert('10.0.0.1', 0), S)).toEqual([
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: S + SKEW },
    ]);
    expect(i.snap.counters.priZeroReceived).toBe(1);
    expect(i.advanceTo(S + SKEW - 1)).toEqual([]);
    expect(i.advanceTo(S + SKEW)[0]?.actions.at(-1)).toMatchObject({ type: 'transition', to: 'MASTER' });
  });

  it('advert with priority ≥ local → v3 adopts Master_Adver_Interval, recomputes Skew and MDI, resets the timer', () => {
    const i = backup();
    expect(i.send(advert('10.0.0.1', 150, 200), S)).toEqual([
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: S + 6 * S + 1_218_750 },
    ]);
    expect(i.snap).toMatchObject({ masterAdverIntervalCs: 200, masterAddress: '10.0.0.1', masterPriority: 150 });
    // Equal priority is accepted as well (adv.prio ≥ local).
    expect(i.send(advert('10.0.0.1', 100, 100), 2 * S)).toEqual([
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: 2 * S + MDI },
    ]);
  });

  it('advert with lower priority and Preempt_Mode False → accepted, timer reset', () => {
    const i = backup({ preempt: false });
    expect(i.send(advert('10.0.0.1', 50), 2 * S)).toEqual([
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: 2 * S + MDI },
    ]);
    expect(i.snap.masterPriority).toBe(50);
  });

  it('advert with lower priority and Preempt_Mode True → discarded, the timer keeps running', () => {
    const i = backup();
    expect(i.send(advert('10.0.0.1', 50), 2 * S)).toEqual([]);
    expect(i.snap.timers).toEqual({ masterDown: MDI });
    expect(i.advanceTo(MDI)[0]?.actions.at(-1)).toMatchObject({ type: 'transition', to: 'MASTER' });
  });

  it('v2 keeps the configured interval whatever the advert says (RFC 3768 §7.1 drops mismatches upstream)', () => {
    const i = backup({ version: 2 });
    expect(i.send(advert('10.0.0.1', 150, 200), S)).toEqual([
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: S + MDI },
    ]);
    expect(i.snap.masterAdverIntervalCs).toBe(100);
  });
});

describe('Master', () => {
  it('Shutdown → cancel Adver_Timer, advert with priority 0 → Initialize', () => {
    const i = master();
    expect(i.send({ type: 'shutdown' }, 4 * S)).toEqual([
      { type: 'cancel-timer', timer: 'adver' },
      { type: 'cancel-timer', timer: 'garpDelay' },
      { type: 'send-advert', priority: 0, advertIntervalCs: 100 },
      { type: 'remove-vips' },
      { type: 'transition', from: 'MASTER', to: 'INIT', reason: 'shutdown' },
    ]);
    expect(i.snap.timers).toEqual({});
    expect(i.snap.counters.priZeroSent).toBe(1);
  });

  it('Adver_Timer fires → advert, Adver_Timer reset to Advertisement_Interval', () => {
    const i = master();
    expect(i.advanceTo(MDI + S)).toEqual([
      {
        t: MDI + S,
        actions: [
          { type: 'send-advert', priority: 100, advertIntervalCs: 100 },
          { type: 'arm-timer', timer: 'adver', deadlineUs: MDI + 2 * S },
        ],
      },
    ]);
  });

  it('advert with priority 0 → advert at once, Adver_Timer reset, stays Master', () => {
    const i = master();
    const t = MDI + 300_000;
    expect(i.send(advert('10.0.0.3', 0), t)).toEqual([
      { type: 'send-advert', priority: 100, advertIntervalCs: 100 },
      { type: 'arm-timer', timer: 'adver', deadlineUs: t + S },
    ]);
    expect(i.snap.state).toBe('MASTER');
  });

  it('higher priority → cancel Adver_Timer, v3 adopt interval, Master_Down_Timer → Backup, VIPs removed', () => {
    const i = master();
    const t = 4 * S;
    expect(i.send(advert('10.0.0.1', 150, 200), t)).toEqual([
      { type: 'cancel-timer', timer: 'adver' },
      { type: 'cancel-timer', timer: 'garpDelay' },
      { type: 'remove-vips' },
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: t + 7_218_750 },
      {
        type: 'transition',
        from: 'MASTER',
        to: 'BACKUP',
        reason: 'higher priority advert from 10.0.0.1 (priority 150, ours 100)',
      },
    ]);
    expect(i.snap).toMatchObject({ state: 'BACKUP', masterAdverIntervalCs: 200, vipsInstalled: false });
  });

  it('equal priority from a greater address (numeric: 10.0.0.10 > 10.0.0.2) → Backup', () => {
    const i = master({ primaryAddress: '10.0.0.2' });
    const actions = i.send(advert('10.0.0.10', 100), 4 * S);
    expect(actions.at(-1)).toEqual({
      type: 'transition',
      from: 'MASTER',
      to: 'BACKUP',
      reason: 'equal priority and higher address advert from 10.0.0.10 (priority 100, ours 100)',
    });
    expect(actions).toContainEqual({ type: 'arm-timer', timer: 'masterDown', deadlineUs: 4 * S + MDI });
  });

  it('equal priority from a greater IPv6 link-local → Backup; from a smaller one → stays Master', () => {
    const a = master({ primaryAddress: 'fe80::ffff' });
    expect(a.send(advert('fe80::1:0', 100), 4 * S).at(-1)).toMatchObject({ type: 'transition', to: 'BACKUP' });
    const b = master({ primaryAddress: 'fe80::1:0' });
    expect(b.send(advert('fe80::ffff', 100), 4 * S)).toEqual([
      { type: 'send-advert', priority: 100, advertIntervalCs: 100 },
      { type: 'send-garp', repeat: 5 },
      { type: 'arm-timer', timer: 'garpLowerPrio', deadlineUs: 9 * S },
      { type: 'notify-event', event: 'MASTER_RX_LOWER_PRI' },
    ]);
  });

  it('lower priority → stays Master, advert at once (RFC 9568), keepalived lower-prio GARPs now and after the delay', () => {
    const i = master();
    const t = 4 * S;
    expect(i.send(advert('10.0.0.1', 50), t)).toEqual([
      { type: 'send-advert', priority: 100, advertIntervalCs: 100 },
      { type: 'send-garp', repeat: 5 },
      { type: 'arm-timer', timer: 'garpLowerPrio', deadlineUs: t + 5 * S },
      { type: 'notify-event', event: 'MASTER_RX_LOWER_PRI' },
    ]);
    expect(i.snap.state).toBe('MASTER');
    expect(i.snap.timers.adver).toBe(MDI + S); // not reset by the extra advert
  });

  it('equal priority from a smaller address (10.0.0.2 < 10.0.0.10) → stays Master and re-advertises', () => {
    const i = master({ primaryAddress: '10.0.0.10' });
    expect(i.send(advert('10.0.0.2', 100), 4 * S)[0]).toEqual({
      type: 'send-advert',
      priority: 100,
      advertIntervalCs: 100,
    });
    expect(i.snap.state).toBe('MASTER');
  });
});
