/** keepalived extensions and the choices documented in src/core: owner, preempt_delay, GARP schedule, FAULT, tracking. */
import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../../src/core/snapshot.js';
import { step } from '../../../src/core/state-machine.js';
import type { InstanceParams } from '../../../src/core/types.js';
import { advert, Instance, params, S } from './fixtures.js';

const MDI = 3_609_375;

function master(overrides: Partial<InstanceParams> = {}): Instance {
  const i = new Instance(params(overrides));
  i.send({ type: 'startup' }, 0);
  i.advanceTo(MDI);
  expect(i.snap.state).toBe('MASTER');
  return i;
}

const garpTimes = (i: Instance) =>
  i.log.flatMap((l) => l.actions.filter((a) => a.type === 'send-garp').map((a) => ({ t: l.t, ...a })));

describe('address owner (priority 255)', () => {
  it('ignores tracking: effective priority stays 255 and adverts carry 255', () => {
    const i = new Instance(params({ priority: 255 }));
    i.send({ type: 'startup' }, 0);
    expect(i.send({ type: 'effective-priority', priority: 155 }, 100)).toEqual([]);
    expect(i.snap.effectivePriority).toBe(255);
    expect(i.advanceTo(S)[0]?.actions[0]).toEqual({ type: 'send-advert', priority: 255, advertIntervalCs: 100 });
  });

  it('does not yield to another owner with a higher address (RFC 9568 erratum 8298: log only)', () => {
    const i = new Instance(params({ priority: 255, primaryAddress: '10.0.0.2' }));
    i.send({ type: 'startup' }, 0);
    expect(i.send(advert('10.0.0.9', 255), 500_000)).toEqual([]);
    expect(i.snap.state).toBe('MASTER');
  });

  it('goes straight back to Master when its fault clears (keepalived try_up_instance)', () => {
    const i = new Instance(params({ priority: 255 }));
    i.send({ type: 'startup' }, 0);
    i.send({ type: 'fault', faulted: true, reason: 'eth0 down' }, S / 2);
    const actions = i.send({ type: 'fault', faulted: false, reason: 'eth0 up' }, 2 * S);
    expect(actions.find((a) => a.type === 'send-advert')).toEqual({
      type: 'send-advert',
      priority: 255,
      advertIntervalCs: 100,
    });
    expect(actions.at(-1)).toEqual({
      type: 'transition',
      from: 'FAULT',
      to: 'MASTER',
      reason: 'fault cleared: eth0 up: address owner (priority 255)',
    });
  });
});

describe('keepalived `state MASTER` with priority < 255', () => {
  it('waits the full Master_Down_Interval like BACKUP (docs/quirks.md Q1: no speed-up)', () => {
    const i = new Instance(params({ initialState: 'MASTER', priority: 150 }));
    expect(i.send({ type: 'startup' }, 0)).toEqual([
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: 3 * S + 414_062 },
      { type: 'transition', from: 'INIT', to: 'BACKUP', reason: 'startup' },
    ]);
  });
});

describe('vrrp_startup_delay (keepalived vrrp_init_instance_sands)', () => {
  it('a Backup down timer started during the delay runs from its end; after the delay, from now', () => {
    const i = new Instance(params({ priority: 150 }));
    const mdi = 3 * S + 414_062;
    expect(i.send({ type: 'startup', delayUs: 5 * S }, 0)).toEqual([
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: 5 * S + mdi },
      { type: 'transition', from: 'INIT', to: 'BACKUP', reason: 'startup' },
    ]);
    // An advert from a Master during the delay resets the timer, still from the end of the delay.
    expect(i.send(advert('10.0.0.9', 200), 2 * S)).toContainEqual({
      type: 'arm-timer',
      timer: 'masterDown',
      deadlineUs: 5 * S + mdi,
    });
    expect(i.send(advert('10.0.0.9', 200), 6 * S)).toContainEqual({
      type: 'arm-timer',
      timer: 'masterDown',
      deadlineUs: 6 * S + mdi,
    });
  });
});

describe('preempt_delay (keepalived 2.2.7: hold starts at the first lower-priority advert)', () => {
  it('accepts a lower-priority Master for preemptDelay, then discards and takes over one MDI after the last accepted advert', () => {
    const i = new Instance(params({ preemptDelayUs: 10 * S }));
    i.send({ type: 'startup' }, 0);
    for (let t = S; t <= 10 * S; t += S) {
      expect(i.send(advert('10.0.0.1', 50), t), `t=${t}`).toEqual([
        { type: 'arm-timer', timer: 'masterDown', deadlineUs: t + MDI },
      ]);
    }
    expect(i.snap.preemptHoldUntilUs).toBe(11 * S);
    expect(i.send(advert('10.0.0.1', 50), 11 * S)).toEqual([]);
    expect(i.send(advert('10.0.0.1', 50), 12 * S)).toEqual([]);
    const fired = i.advanceTo(20 * S);
    expect(fired[0]?.t).toBe(10 * S + MDI);
    expect(fired[0]?.actions.at(-1)).toMatchObject({ type: 'transition', to: 'MASTER' });
  });

  it('restarts the hold after an advert of priority ≥ ours', () => {
    const i = new Instance(params({ preemptDelayUs: 10 * S }));
    i.send({ type: 'startup' }, 0);
    i.send(advert('10.0.0.1', 50), S);
    expect(i.snap.preemptHoldUntilUs).toBe(11 * S);
    i.send(advert('10.0.0.1', 150), 5 * S);
    expect(i.snap.preemptHoldUntilUs).toBeNull();
    i.send(advert('10.0.0.1', 50), 6 * S);
    expect(i.snap.preemptHoldUntilUs).toBe(16 * S);
  });

  it('has no effect when 0 (RFC preemption)', () => {
    const i = new Instance(params());
    i.send({ type: 'startup' }, 0);
    expect(i.send(advert('10.0.0.1', 50), S)).toEqual([]);
  });
});

describe('GARP schedule', () => {
  it('keepalived defaults: 5 at once, 5 more after garp_master_delay, none afterwards', () => {
    const i = master();
    i.advanceTo(MDI + 60 * S);
    expect(garpTimes(i)).toEqual([
      { t: MDI, type: 'send-garp', repeat: 5 },
      { t: MDI + 5 * S, type: 'send-garp', repeat: 5 },
    ]);
  });

  it('garp_master_delay 0 → no second burst; garp_master_repeat 0 → no GARP at all', () => {
    const a = master({ garp: { ...params().garp, masterDelayUs: 0 } });
    a.advanceTo(MDI + 20 * S);
    expect(garpTimes(a)).toEqual([{ t: MDI, type: 'send-garp', repeat: 5 }]);
    expect(a.snap.timers.garpDelay).toBeUndefined();
    const b = master({ garp: { ...params().garp, masterRepeat: 0 } });
    b.advanceTo(MDI + 20 * S);
    expect(garpTimes(b)).toEqual([]);
  });

  it('garp_master_refresh repeats every refresh interval with garp_master_refresh_repeat', () => {
    const i = master({ garp: { ...params().garp, masterDelayUs: 0, masterRefreshUs: 30 * S, masterRefreshRepeat: 2 } });
    i.advanceTo(MDI + 65 * S);
    expect(garpTimes(i)).toEqual([
      { t: MDI, type: 'send-garp', repeat: 5 },
      { t: MDI + 30 * S, type: 'send-garp', repeat: 2 },
      { t: MDI + 60 * S, type: 'send-garp', repeat: 2 },
    ]);
  });

  it('cancels the delayed burst on leaving Master (fixes keepalived docs/quirks.md Q6)', () => {
    const i = master();
    i.send(advert('10.0.0.1', 150), MDI + S / 2);
    // The higher-priority Master releases 1 s later; we take over after Skew_Time.
    i.send(advert('10.0.0.1', 0), MDI + (3 * S) / 2);
    const second = MDI + (3 * S) / 2 + 609_375;
    i.advanceTo(second + 20 * S);
    expect(garpTimes(i)).toEqual([
      { t: MDI, type: 'send-garp', repeat: 5 },
      { t: second, type: 'send-garp', repeat: 5 },
      { t: second + 5 * S, type: 'send-garp', repeat: 5 },
    ]);
  });

  it('lower-priority adverts: one delayed burst pending at a time; lower_prio_no_advert suppresses only the advert', () => {
    const i = master({ lowerPrioNoAdvert: true });
    const t = 4 * S;
    expect(i.send(advert('10.0.0.1', 50), t)).toEqual([
      { type: 'send-garp', repeat: 5 },
      { type: 'arm-timer', timer: 'garpLowerPrio', deadlineUs: t + 5 * S },
      { type: 'notify-event', event: 'MASTER_RX_LOWER_PRI' },
    ]);
    expect(i.send(advert('10.0.0.1', 50), t + S)).toEqual([
      { type: 'send-garp', repeat: 5 },
      { type: 'notify-event', event: 'MASTER_RX_LOWER_PRI' },
    ]);
    const fired = i.advanceTo(t + 5 * S).filter((l) => l.actions.some((a) => a.type === 'send-garp'));
    expect(fired.at(-1)).toEqual({ t: t + 5 * S, actions: [{ type: 'send-garp', repeat: 5 }] });
  });

  it('garp_lower_prio_repeat 0 → no GARPs on a lower-priority advert, only the RFC 9568 advert', () => {
    const i = master({ garp: { ...params().garp, lowerPrioRepeat: 0 } });
    expect(i.send(advert('10.0.0.1', 50), 4 * S)).toEqual([
      { type: 'send-advert', priority: 100, advertIntervalCs: 100 },
      { type: 'notify-event', event: 'MASTER_RX_LOWER_PRI' },
    ]);
  });
});

describe('higher_prio_send_advert', () => {
  it('sends one more advert before yielding', () => {
    const i = master({ higherPrioSendAdvert: true });
    const actions = i.send(advert('10.0.0.1', 150), 4 * S);
    expect(actions.slice(0, 4)).toEqual([
      { type: 'cancel-timer', timer: 'adver' },
      { type: 'cancel-timer', timer: 'garpDelay' },
      { type: 'send-advert', priority: 100, advertIntervalCs: 100 },
      { type: 'remove-vips' },
    ]);
    expect(i.snap.state).toBe('BACKUP');
  });
});

describe('FAULT', () => {
  it('Master → FAULT: priority-0 advert, VIPs removed, every timer cancelled', () => {
    const i = master();
    expect(i.send({ type: 'fault', faulted: true, reason: 'eth1 down' }, 4 * S)).toEqual([
      { type: 'cancel-timer', timer: 'adver' },
      { type: 'cancel-timer', timer: 'garpDelay' },
      { type: 'send-advert', priority: 0, advertIntervalCs: 100 },
      { type: 'remove-vips' },
      { type: 'transition', from: 'MASTER', to: 'FAULT', reason: 'fault: eth1 down' },
    ]);
    expect(i.snap.timers).toEqual({});
  });

  it('Backup → FAULT; adverts and stale timers are ignored while faulted; clearing → Backup with a fresh MDI', () => {
    const i = new Instance(params());
    i.send({ type: 'startup' }, 0);
    i.send(advert('10.0.0.1', 150, 200), S / 2);
    expect(i.send({ type: 'fault', faulted: true, reason: 'chk_nginx failed' }, S)).toEqual([
      { type: 'cancel-timer', timer: 'masterDown' },
      { type: 'transition', from: 'BACKUP', to: 'FAULT', reason: 'fault: chk_nginx failed' },
    ]);
    expect(i.send(advert('10.0.0.1', 0), 2 * S)).toEqual([]);
    expect(i.send({ type: 'timer', timer: 'masterDown' }, 10 * S)).toEqual([]);
    expect(i.snap.counters.advertsReceived).toBe(1);
    // The learned 200 cs is forgotten: Master_Adver_Interval restarts from the configured value.
    expect(i.send({ type: 'fault', faulted: false, reason: 'chk_nginx ok' }, 11 * S)).toEqual([
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: 11 * S + MDI },
      { type: 'transition', from: 'FAULT', to: 'BACKUP', reason: 'fault cleared: chk_nginx ok' },
    ]);
    expect(i.snap.masterAdverIntervalCs).toBe(100);
  });

  it('stays FAULT until every source has cleared; repeated reports change nothing', () => {
    const i = new Instance(params());
    i.send({ type: 'startup' }, 0);
    i.send({ type: 'fault', faulted: true, reason: 'a down', source: 'if:a' }, 1);
    expect(i.send({ type: 'fault', faulted: true, reason: 'a down', source: 'if:a' }, 2)).toEqual([]);
    expect(i.send({ type: 'fault', faulted: true, reason: 'b down', source: 'if:b' }, 3)).toEqual([]);
    expect(i.snap.faultSources).toEqual(['if:a', 'if:b']);
    expect(i.send({ type: 'fault', faulted: false, reason: 'a up', source: 'if:a' }, 4)).toEqual([]);
    expect(i.snap.state).toBe('FAULT');
    expect(i.send({ type: 'fault', faulted: false, reason: 'b up', source: 'if:b' }, 5).at(-1)).toMatchObject({
      to: 'BACKUP',
    });
  });

  it('a fault reported before startup makes startup go to FAULT (docs/quirks.md Q14); shutdown from FAULT sends nothing', () => {
    const i = new Instance(params());
    expect(i.send({ type: 'fault', faulted: true, reason: 'script failed' }, 0)).toEqual([]);
    expect(i.snap.state).toBe('INIT');
    expect(i.send({ type: 'startup' }, 1)).toEqual([
      { type: 'transition', from: 'INIT', to: 'FAULT', reason: 'startup while faulted (local)' },
    ]);
    expect(i.send({ type: 'shutdown' }, 2)).toEqual([
      { type: 'transition', from: 'FAULT', to: 'INIT', reason: 'shutdown' },
    ]);
  });
});

describe('effective priority (track_script / track_file weights)', () => {
  it('a Master advertises the new priority in its next advert, with no transition and no immediate advert', () => {
    const i = master();
    expect(i.send({ type: 'effective-priority', priority: 80 }, MDI + 100)).toEqual([]);
    expect(i.advanceTo(MDI + S)[0]?.actions.find((a) => a.type === 'send-advert')).toEqual({
      type: 'send-advert',
      priority: 80,
      advertIntervalCs: 100,
    });
    expect(i.snap.state).toBe('MASTER');
  });

  it('is clamped to 1..254 like keepalived', () => {
    const i = new Instance(params());
    i.send({ type: 'effective-priority', priority: 400 });
    expect(i.snap.effectivePriority).toBe(254);
    i.send({ type: 'effective-priority', priority: -60 });
    expect(i.snap.effectivePriority).toBe(1);
  });

  it('a Backup whose priority rises above the Master discards its adverts and takes over when the timer fires', () => {
    const i = new Instance(params());
    i.send({ type: 'startup' }, 0);
    i.send(advert('10.0.0.1', 150), S);
    i.send(advert('10.0.0.1', 150), 2 * S);
    i.send({ type: 'effective-priority', priority: 200 }, 2.5 * S);
    expect(i.send(advert('10.0.0.1', 150), 3 * S)).toEqual([]);
    expect(i.send(advert('10.0.0.1', 150), 4 * S)).toEqual([]);
    const fired = i.advanceTo(10 * S);
    expect(fired[0]).toMatchObject({ t: 2 * S + MDI });
    expect(fired[0]?.actions.find((a) => a.type === 'send-advert')).toEqual({
      type: 'send-advert',
      priority: 200,
      advertIntervalCs: 100,
    });
  });

  it('a lower priority makes a Backup accept the Master it used to preempt', () => {
    const i = new Instance(params());
    i.send({ type: 'startup' }, 0);
    i.send({ type: 'effective-priority', priority: 40 }, 1);
    expect(i.send(advert('10.0.0.1', 50), S)).toEqual([
      { type: 'arm-timer', timer: 'masterDown', deadlineUs: S + 3 * S + 843_750 },
    ]);
  });
});

describe('timers are absolute deadlines; stale events are ignored', () => {
  it('ignores a timer event for a timer that is not armed, or before its deadline', () => {
    const s0 = step(initialSnapshot(params()), { type: 'startup' }, 0).state;
    expect(step(s0, { type: 'timer', timer: 'adver' }, 10 * S)).toEqual({ state: s0, actions: [] });
    expect(step(s0, { type: 'timer', timer: 'masterDown' }, MDI - 1)).toEqual({ state: s0, actions: [] });
  });

  it('ignores the old callback of a timer that was re-armed later', () => {
    const s0 = step(initialSnapshot(params()), { type: 'startup' }, 0).state;
    const s1 = step(s0, advert('10.0.0.1', 150), 2 * S).state; // masterDown moves to 2 s + MDI
    expect(step(s1, { type: 'timer', timer: 'masterDown' }, MDI).actions).toEqual([]);
    expect(step(s1, { type: 'timer', timer: 'masterDown' }, 2 * S + MDI).actions.at(-1)).toMatchObject({
      to: 'MASTER',
    });
  });

  it('a late Adver_Timer keeps the advert period instead of drifting', () => {
    const i = master();
    const late = MDI + S + 4_000;
    expect(step(i.snap, { type: 'timer', timer: 'adver' }, late).actions).toEqual([
      { type: 'send-advert', priority: 100, advertIntervalCs: 100 },
      { type: 'arm-timer', timer: 'adver', deadlineUs: MDI + 2 * S },
    ]);
  });

  it('does not mutate the snapshot it is given', () => {
    const s0 = step(initialSnapshot(params()), { type: 'startup' }, 0).state;
    const frozen = structuredClone(s0);
    step(s0, { type: 'timer', timer: 'masterDown' }, MDI);
    step(s0, advert('10.0.0.1', 150), S);
    expect(s0).toEqual(frozen);
  });

  it('INIT ignores adverts and timers', () => {
    const s = initialSnapshot(params());
    expect(step(s, advert('10.0.0.1', 0), 0)).toEqual({ state: s, actions: [] });
    expect(step(s, { type: 'shutdown' }, 0)).toEqual({ state: s, actions: [] });
  });
});

describe('sync-group orders', () => {
  it('Backup + sync MASTER → cancels Master_Down_Timer and becomes Master at once', () => {
    const i = new Instance(params());
    i.send({ type: 'startup' }, 0);
    const actions = i.send({ type: 'sync', to: 'MASTER', reason: 'VI_2 became MASTER' }, S);
    expect(actions.slice(0, 3)).toEqual([
      { type: 'cancel-timer', timer: 'masterDown' },
      { type: 'add-vips' },
      { type: 'send-advert', priority: 100, advertIntervalCs: 100 },
    ]);
    expect(actions.at(-1)).toMatchObject({ to: 'MASTER', reason: 'sync group: VI_2 became MASTER' });
  });

  it('Master + sync BACKUP → yields with Master_Down_Interval; Backup + sync BACKUP → nothing', () => {
    const i = master();
    const actions = i.send({ type: 'sync', to: 'BACKUP', reason: 'VI_2 became BACKUP' }, 4 * S);
    expect(actions).toContainEqual({ type: 'remove-vips' });
    expect(actions).toContainEqual({ type: 'arm-timer', timer: 'masterDown', deadlineUs: 4 * S + MDI });
    expect(i.send({ type: 'sync', to: 'BACKUP', reason: 'x' }, 5 * S)).toEqual([]);
  });
});

describe('initialSnapshot', () => {
  it('rejects parameters the machine cannot run with', () => {
    expect(() => initialSnapshot(params({ priority: 0 }))).toThrow(RangeError);
    expect(() => initialSnapshot(params({ vrid: 256 }))).toThrow(RangeError);
    expect(() => initialSnapshot(params({ advertIntervalCs: 4096 }))).toThrow(RangeError);
    expect(() => initialSnapshot(params({ version: 2, advertIntervalCs: 50 }))).toThrow(/whole number of seconds/);
    expect(() => initialSnapshot(params({ preemptDelayUs: -1 }))).toThrow(RangeError);
    expect(initialSnapshot(params({ version: 2, advertIntervalCs: 25500 })).state).toBe('INIT');
  });
});
