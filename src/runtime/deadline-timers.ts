import { sharedTimerQueue, type TimerEntry, type TimerQueue } from './timer-queue.js';

/**
 * Named one-shot timers on absolute monotonic deadlines (µs). The state machine hands out deadlines,
 * not delays, so a late event-loop turn never shifts later timers (no drift). A timer fires when the
 * monotonic clock has reached its deadline, never before (silent failover must land inside
 * (MDI − interval, MDI]): the queue sits on a timerfd, see platform/monotonic-timer.ts.
 */
export class DeadlineTimers<Name extends string> {
  private readonly entries = new Map<Name, TimerEntry>();

  constructor(
    private readonly fire: (name: Name, deadlineUs: number) => void,
    private readonly queue: TimerQueue = sharedTimerQueue(),
  ) {}

  arm(name: Name, deadlineUs: number): void {
    let e = this.entries.get(name);
    if (!e) {
      const fire = this.fire;
      e = { deadlineUs, seq: 0, index: -1, fire: (d) => fire(name, d) };
      this.entries.set(name, e);
    }
    this.queue.schedule(e, deadlineUs);
  }

  cancel(name: Name): void {
    const e = this.entries.get(name);
    if (e) this.queue.remove(e);
  }

  deadline(name: Name): number | undefined {
    const e = this.entries.get(name);
    return e && e.index >= 0 ? e.deadlineUs : undefined;
  }

  cancelAll(): void {
    for (const e of this.entries.values()) this.queue.remove(e);
  }
}
