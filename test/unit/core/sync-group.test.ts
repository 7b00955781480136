import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../../src/core/snapshot.js';
import { step } from '../../../src/core/state-machine.js';
import { syncFaultSource, syncGroupEvents } from '../../../src/core/sync-group.js';
import type { Action, InstanceEvent, InstanceSnapshot } from '../../../src/core/types.js';
import { advert, params, S } from './fixtures.js';

const G = 'G';
const MDI = 3_609_375;

/** A runtime in miniature: apply an event, then feed sync-group follow-ups until nothing changes. */
class Group {
  readonly snaps = new Map<string, InstanceSnapshot>();
  readonly actions: Array<{ member: string; action: Action }> = [];

  constructor(names: string[]) {
    for (const [i, name] of names.entries()) {
      this.snaps.set(name, initialSnapshot(params({ name, vrid: 51 + i })));
    }
  }

  state(name: string): string {
    return this.snaps.get(name)?.state ?? '?';
  }

  feed(member: string, ev: InstanceEvent, now: number): void {
    const queue = [{ member, ev }];
    for (let guard = 0; queue.length > 0; guard++) {
      if (guard > 100) throw new Error('sync group did not converge');
      const next = queue.shift()!;
      const r = step(this.snaps.get(next.member)!, next.ev, now);
      this.snaps.set(next.member, r.state);
      for (const action of r.actions) {
        this.actions.push({ member: next.member, action });
        if (action.type !== 'transition') continue;
        const members = [...this.snaps].map(([name, snapshot]) => ({ name, snapshot }));
        queue.push(
          ...syncGroupEvents(G, members, { member: next.member, from: action.from, to: action.to }).map((e) => ({
            member: e.member,
            ev: e.event,
          })),
        );
      }
    }
  }

  /** Starts everyone and lets VI_1's timer make it Master, which pulls VI_2 along. */
  startAllMaster(): void {
    for (const name of this.snaps.keys()) this.feed(name, { type: 'startup' }, 0);
    this.feed('VI_1', { type: 'timer', timer: 'masterDown' }, MDI);
  }
}

describe('syncGroupEvents', () => {
  it('one member becoming MASTER takes the Backups with it', () => {
    const g = new Group(['VI_1', 'VI_2']);
    g.startAllMaster();
    expect([g.state('VI_1'), g.state('VI_2')]).toEqual(['MASTER', 'MASTER']);
    expect(g.actions.filter((a) => a.action.type === 'add-vips').map((a) => a.member)).toEqual(['VI_1', 'VI_2']);
  });

  it('one Master yielding to a higher priority takes the other Masters to BACKUP', () => {
    const g = new Group(['VI_1', 'VI_2']);
    g.startAllMaster();
    g.feed('VI_1', advert('10.0.0.9', 200), 5 * S);
    expect([g.state('VI_1'), g.state('VI_2')]).toEqual(['BACKUP', 'BACKUP']);
  });

  it('one member in FAULT drags the others to FAULT; the group recovers only when the last own fault clears', () => {
    const g = new Group(['VI_1', 'VI_2', 'VI_3']);
    g.startAllMaster();
    g.feed('VI_1', { type: 'fault', faulted: true, reason: 'eth1 down' }, 5 * S);
    expect(['VI_1', 'VI_2', 'VI_3'].map((n) => g.state(n))).toEqual(['FAULT', 'FAULT', 'FAULT']);
    // Both the faulted member and the followers sent priority 0, so their Backups take over in Skew_Time.
    expect(
      g.actions.filter((a) => a.action.type === 'send-advert' && a.action.priority === 0).map((a) => a.member),
    ).toEqual(['VI_1', 'VI_2', 'VI_3']);
    g.feed('VI_2', { type: 'fault', faulted: true, reason: 'chk failed' }, 6 * S);
    g.feed('VI_1', { type: 'fault', faulted: false, reason: 'eth1 up' }, 7 * S);
    expect(['VI_1', 'VI_2', 'VI_3'].map((n) => g.state(n))).toEqual(['FAULT', 'FAULT', 'FAULT']);
    expect(g.snaps.get('VI_1')?.faultSources).toEqual([syncFaultSource(G)]);
    g.feed('VI_2', { type: 'fault', faulted: false, reason: 'chk ok' }, 8 * S);
    expect(['VI_1', 'VI_2', 'VI_3'].map((n) => g.state(n))).toEqual(['BACKUP', 'BACKUP', 'BACKUP']);
    for (const n of ['VI_1', 'VI_2', 'VI_3']) expect(g.snaps.get(n)?.faultSources).toEqual([]);
  });

  it('returns nothing when the group is already consistent', () => {
    const a = step(initialSnapshot(params({ name: 'VI_1' })), { type: 'startup' }, 0).state;
    const b = step(initialSnapshot(params({ name: 'VI_2' })), { type: 'startup' }, 0).state;
    const members = [
      { name: 'VI_1', snapshot: a },
      { name: 'VI_2', snapshot: b },
    ];
    expect(syncGroupEvents(G, members, { member: 'VI_1', from: 'INIT', to: 'BACKUP' })).toEqual([]);
  });
});
