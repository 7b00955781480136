import { monotonicUs } from '../util/clock.js';

type Handle = { kind: 'timeout'; t: NodeJS.Timeout } | { kind: 'immediate'; t: NodeJS.Immediate };

/**
 * Named one-shot timers on absolute monotonic deadlines (µs). The state machine hands out deadlines,
 * not delays, so a late event-loop turn never shifts later timers (no drift).
 */
export class DeadlineTimers<Name extends string> {
  private readonly handles = new Map<Name, { deadlineUs: number; handle: Handle }>();

  constructor(private readonly fire: (name: Name, deadlineUs: number) => void) {}

  arm(name: Name, deadlineUs: number): void {
    this.cancel(name);
    this.schedule(name, deadlineUs);
  }

  private schedule(name: Name, deadlineUs: number): void {
    // Node timers run on libuv's millisecond loop clock: they can fire up to ~1 ms before the deadline on the
    // hrtime clock (the state machine ignores early timer events) or up to ~1 ms after it. So: a timer for
    // the whole milliseconds, then setImmediate turns for the sub-millisecond rest, so a takeover is not
    // late by a rounding error (silent failover must land inside (MDI − interval, MDI]).
    const remainingUs = deadlineUs - monotonicUs();
    const onTime = () => {
      const current = this.handles.get(name);
      if (current?.handle !== handle) return;
      if (monotonicUs() < deadlineUs) {
        this.schedule(name, deadlineUs);
        return;
      }
      this.handles.delete(name);
      this.fire(name, deadlineUs);
    };
    const handle: Handle =
      remainingUs >= 1000
        ? { kind: 'timeout', t: setTimeout(onTime, Math.floor(remainingUs / 1000)) }
        : { kind: 'immediate', t: setImmediate(onTime) };
    this.handles.set(name, { deadlineUs, handle });
  }

  cancel(name: Name): void {
    const t = this.handles.get(name);
    if (!t) return;
    if (t.handle.kind === 'immediate') clearImmediate(t.handle.t);
    else clearTimeout(t.handle.t);
    this.handles.delete(name);
  }

  deadline(name: Name): number | undefined {
    return this.handles.get(name)?.deadlineUs;
  }

  cancelAll(): void {
    for (const name of [...this.handles.keys()]) this.cancel(name);
  }
}
