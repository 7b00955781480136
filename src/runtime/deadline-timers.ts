import { monotonicUs } from '../util/clock.js';

/**
 * Named one-shot timers on absolute monotonic deadlines (µs). The state machine hands out deadlines,
 * not delays, so a late event-loop turn never shifts later timers (no drift).
 */
export class DeadlineTimers<Name extends string> {
  private readonly handles = new Map<Name, { deadlineUs: number; handle: NodeJS.Timeout }>();

  constructor(private readonly fire: (name: Name, deadlineUs: number) => void) {}

  arm(name: Name, deadlineUs: number): void {
    this.cancel(name);
    this.schedule(name, deadlineUs);
  }

  private schedule(name: Name, deadlineUs: number): void {
    // Node timers run on libuv's millisecond loop clock, which can fire up to ~1 ms before the deadline on
    // the hrtime clock; the state machine ignores early timer events, so re-arm for the remainder instead.
    const delayMs = Math.max(0, Math.ceil((deadlineUs - monotonicUs()) / 1000));
    const handle = setTimeout(() => {
      const current = this.handles.get(name);
      if (current?.handle !== handle) return;
      if (monotonicUs() < deadlineUs) {
        this.schedule(name, deadlineUs);
        return;
      }
      this.handles.delete(name);
      this.fire(name, deadlineUs);
    }, delayMs);
    this.handles.set(name, { deadlineUs, handle });
  }

  cancel(name: Name): void {
    const t = this.handles.get(name);
    if (!t) return;
    clearTimeout(t.handle);
    this.handles.delete(name);
  }

  deadline(name: Name): number | undefined {
    return this.handles.get(name)?.deadlineUs;
  }

  cancelAll(): void {
    for (const name of [...this.handles.keys()]) this.cancel(name);
  }
}
