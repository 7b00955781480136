import { afterEach, describe, expect, it } from 'vitest';
import { InstanceRunner, type PeriodicAdverts } from '../../../src/runtime/instance-runner.js';
import { monotonicUs } from '../../../src/util/clock.js';
import { createLogger } from '../../../src/util/logger.js';
import { RecordingIo, settings } from './helpers.js';

const log = createLogger({ sink: { write: () => {} } });

/**
 * A periodic sender that records what the runner asks of it (an update only when the content changes, as
 * the contract says); `accept` false = it declines, so the adverts stay on the JS timer.
 */
class FakePeriodic implements PeriodicAdverts {
  readonly calls: string[] = [];
  sent = 0;
  nextDeadlineUs: number | undefined;
  private content = '';
  constructor(private readonly accept = true) {}
  start(firstDeadlineUs: number, periodUs: number, priority: number, intervalCs: number): boolean {
    this.calls.push(`start ${periodUs} ${priority} ${intervalCs}`);
    if (this.accept) this.nextDeadlineUs = firstDeadlineUs;
    this.content = `${priority} ${intervalCs}`;
    return this.accept;
  }
  update(priority: number, intervalCs: number): void {
    if (`${priority} ${intervalCs}` === this.content) return;
    this.content = `${priority} ${intervalCs}`;
    this.calls.push(`update ${priority} ${intervalCs}`);
  }
  stop(): void {
    this.calls.push('stop');
    this.nextDeadlineUs = undefined;
  }
}

class OffloadIo extends RecordingIo {
  constructor(readonly periodic: FakePeriodic) {
    super();
  }
}

const runners: InstanceRunner[] = [];
afterEach(() => {
  for (const r of runners.splice(0)) r.dispose();
});

/** A v3 instance at 1 s adverts made Master by its Master_Down timer (the test supplies the clock). */
function master(periodic: FakePeriodic): { r: InstanceRunner; io: OffloadIo; atUs: number } {
  const io = new OffloadIo(periodic);
  const r = new InstanceRunner(settings({ version: 3, advertIntervalCs: 100 }), io, log);
  runners.push(r);
  const t0 = monotonicUs();
  r.handle({ type: 'startup' }, t0);
  const atUs = t0 + 10_000_000;
  r.handle({ type: 'timer', timer: 'masterDown' }, atUs);
  expect(r.state).toBe('MASTER');
  return { r, io, atUs };
}

describe('InstanceRunner: a Master steady adverts go to the periodic sender', () => {
  it('the first advert is sent by the state machine, the next ones by the sender from one interval later', () => {
    const periodic = new FakePeriodic();
    const { r, io, atUs } = master(periodic);
    expect(io.calls).toContain('advert 100');
    expect(periodic.calls).toEqual(['start 1000000 100 100']);
    expect(r.timerDeadlineUs('adver')).toBe(atUs + 1_000_000);
  });

  it('a priority change reaches the sender; the counters add what it sent', () => {
    const periodic = new FakePeriodic();
    const { r } = master(periodic);
    r.handle({ type: 'effective-priority', priority: 90 });
    expect(periodic.calls.at(-1)).toBe('update 90 100');
    periodic.sent = 41;
    expect(r.advertsSent).toBe(r.snapshot.counters.advertsSent + 41);
  });

  it('leaving Master stops the sender (a higher priority heard), and so does dispose', () => {
    const periodic = new FakePeriodic();
    const { r, atUs } = master(periodic);
    r.handle({ type: 'advert', src: '10.0.0.99', priority: 200, advertIntervalCs: 100 }, atUs + 1000);
    expect(r.state).toBe('BACKUP');
    expect(periodic.calls.at(-1)).toBe('stop');
    expect(r.timerDeadlineUs('adver')).toBeUndefined();

    const second = new FakePeriodic();
    master(second).r.dispose();
    expect(second.calls.at(-1)).toBe('stop');
  });

  it('a sender that declines leaves the adverts on the JS timer', () => {
    const periodic = new FakePeriodic(false);
    const { r, atUs } = master(periodic);
    expect(periodic.calls).toEqual(['start 1000000 100 100']);
    expect(r.timerDeadlineUs('adver')).toBe(atUs + 1_000_000);
    r.handle({ type: 'effective-priority', priority: 90 });
    expect(periodic.calls).toHaveLength(1);
  });
});
