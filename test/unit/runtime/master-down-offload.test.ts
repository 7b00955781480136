import { afterEach, describe, expect, it } from 'vitest';
import type { ReceivedPacket, WatchSummary } from '../../../src/platform/index.js';
import { InstanceRunner, type MasterDownOffload } from '../../../src/runtime/instance-runner.js';
import { monotonicUs } from '../../../src/util/clock.js';
import { createLogger } from '../../../src/util/logger.js';
import { RecordingIo, settings } from './helpers.js';

const log = createLogger({ sink: { write: () => {} } });

/** An offload the test drives: it "absorbs" repeats and "expires" when told to. */
class FakeOffload implements MasterDownOffload {
  readonly calls: string[] = [];
  deadlineUs: number | undefined;
  absorbed = 0;
  lastAtUs = 0;
  private onExpired: ((atUs: number) => void) | undefined;
  private intervalUs = 0;

  start(packet: ReceivedPacket, deadlineUs: number, intervalUs: number, onExpired: (atUs: number) => void): boolean {
    this.calls.push(`start ${packet.src} ${deadlineUs - packet.receivedAtUs} ${intervalUs}`);
    this.deadlineUs = deadlineUs;
    this.intervalUs = intervalUs;
    this.onExpired = onExpired;
    this.absorbed = 0;
    this.lastAtUs = 0;
    return true;
  }
  stop(): WatchSummary {
    this.calls.push('stop');
    this.deadlineUs = undefined;
    return { absorbed: this.absorbed, lastAtUs: this.lastAtUs };
  }
  repeat(atUs: number): void {
    this.absorbed++;
    this.lastAtUs = atUs;
    this.deadlineUs = atUs + this.intervalUs;
  }
  expire(): void {
    const at = this.deadlineUs!;
    this.deadlineUs = undefined;
    this.onExpired?.(at);
  }
}

class WatchIo extends RecordingIo {
  constructor(readonly masterDown: FakeOffload) {
    super();
  }
}

const runners: InstanceRunner[] = [];
afterEach(() => {
  for (const r of runners.splice(0)) r.dispose();
});

const packet = (src: string, atUs: number) =>
  ({ data: Buffer.alloc(0), family: 4, src, dst: '224.0.0.18', ttl: 255, ifindex: 2, receivedAtUs: atUs }) as const;

/** A v3 Backup (priority 100, 1 s) that has just started; `advert` delivers one as dispatch does. */
function backup(over: Parameters<typeof settings>[0] = {}) {
  const offload = new FakeOffload();
  const r = new InstanceRunner(
    settings({ version: 3, advertIntervalCs: 100, priority: 100, ...over }),
    new WatchIo(offload),
    log,
  );
  runners.push(r);
  const t0 = monotonicUs();
  r.handle({ type: 'startup' }, t0);
  expect(r.state).toBe('BACKUP');
  const advert = (priority: number, atUs: number, src = '10.0.0.1') => {
    const ev = { type: 'advert', src, priority, advertIntervalCs: 100 } as const;
    r.handle(ev, atUs);
    r.watchRepeats(packet(src, atUs), ev);
  };
  return { r, offload, t0, advert };
}

describe('InstanceRunner: a Backup Master_Down goes to the offload while the Master repeats itself', () => {
  it('an accepted advert hands the timer over at its deadline, one Master_Down_Interval after the advert', () => {
    const { r, offload, t0, advert } = backup();
    advert(150, t0 + 1000);
    const mdi = r.snapshot.timers.masterDown! - (t0 + 1000);
    expect(offload.calls).toEqual([`start 10.0.0.1 ${mdi} ${mdi}`]);
    expect(r.timerDeadlineUs('masterDown')).toBe(t0 + 1000 + mdi);
    offload.repeat(t0 + 1_001_000);
    expect(r.timerDeadlineUs('masterDown')).toBe(t0 + 1_001_000 + mdi);
    expect(r.advertsReceived).toBe(2);
  });

  it('any other event takes the timer back first: the last repeat is replayed, the counters kept', () => {
    const { r, offload, t0, advert } = backup();
    advert(150, t0 + 1000);
    const mdi = r.snapshot.timers.masterDown! - (t0 + 1000);
    for (let i = 1; i <= 5; i++) offload.repeat(t0 + 1000 + i * 1_000_000);
    r.handle({ type: 'effective-priority', priority: 90 }, t0 + 5_500_000);
    expect(offload.calls.at(-1)).toBe('stop');
    expect(r.snapshot.timers.masterDown).toBe(t0 + 5_001_000 + mdi);
    expect(r.timerDeadlineUs('masterDown')).toBe(t0 + 5_001_000 + mdi);
    expect(r.advertsReceived).toBe(6);
    expect(r.snapshot.masterAddress).toBe('10.0.0.1');
  });

  it('expiry makes it Master, at a deadline one interval after the last repeat', () => {
    const { r, offload, t0, advert } = backup();
    advert(150, t0 + 1000);
    offload.repeat(t0 + 1_001_000);
    offload.expire();
    expect(r.state).toBe('MASTER');
    expect(r.lastTransition?.reason).toBe('master down timer expired');
    expect(r.advertsReceived).toBe(2);
  });

  it('a priority raised above the Master: the next advert is not handed over, so this Backup preempts', () => {
    const { r, offload, t0, advert } = backup();
    advert(150, t0 + 1000);
    r.handle({ type: 'effective-priority', priority: 200 }, t0 + 2000);
    advert(150, t0 + 1_001_000);
    expect(offload.calls).toEqual([expect.stringMatching(/^start /), 'stop']);
    expect(r.timerDeadlineUs('masterDown')).toBe(r.snapshot.timers.masterDown);
  });

  it('not handed over: a lower priority under preempt, priority 0, a preempt_delay hold', () => {
    const { offload, t0, advert } = backup();
    advert(50, t0 + 1000);
    advert(0, t0 + 2000);
    expect(offload.calls).toEqual([]);
    const held = backup({ preemptDelayUs: 10_000_000 });
    held.advert(50, held.t0 + 1000);
    expect(held.offload.calls).toEqual([]);
  });

  it('handed over: a lower priority under nopreempt (accepted whatever the time)', () => {
    const { offload, t0, advert } = backup({ preempt: false });
    advert(50, t0 + 1000);
    expect(offload.calls).toHaveLength(1);
  });
});
