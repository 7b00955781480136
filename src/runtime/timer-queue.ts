import { type MonotonicTimer, openMonotonicTimer } from '../platform/monotonic-timer.js';
import { monotonicUs } from '../util/clock.js';

/** A wake this far past its deadline (µs) is "late": the loop was stalled, not merely scheduled. */
const LATE_WAKE_US = 1_000;

/** One pending deadline; owned and reused by its DeadlineTimers (no allocation when a timer is re-armed). */
export interface TimerEntry {
  deadlineUs: number;
  /** Arm order, so equal deadlines fire in the order they were armed. */
  seq: number;
  /** Position in the queue's heap, -1 when not queued. */
  index: number;
  fire(deadlineUs: number): void;
}

/**
 * Every deadline of the process in one binary min-heap, behind one monotonic timer armed for the earliest.
 * 255 instances cost one timerfd and one wake-up per due deadline, not one OS timer each.
 */
export class TimerQueue {
  private readonly heap: TimerEntry[] = [];
  private seq = 0;
  /** The deadline the OS timer is armed for (-1: disarmed). */
  private armedUs = -1;
  private firing = false;
  /** Whether the OS timer keeps the process alive: exactly while something is queued. */
  private refed = false;
  private timer: MonotonicTimer | undefined;
  /**
   * Runs before a late wake fires anything. A stalled event loop (GC, a loaded machine) can wake with the timer
   * and a socket ready in the same turn, in either order; the daemon drains its sockets here so an advert that
   * arrived before the deadline re-arms Master_Down before the stale deadline is acted on.
   */
  onLateWake: (() => void) | undefined;

  constructor(private readonly open: (onExpired: () => void) => MonotonicTimer = openMonotonicTimer) {}

  get size(): number {
    return this.heap.length;
  }

  schedule(e: TimerEntry, deadlineUs: number): void {
    e.deadlineUs = deadlineUs;
    e.seq = this.seq++;
    if (e.index < 0) {
      e.index = this.heap.length;
      this.heap.push(e);
      this.up(e.index);
    } else if (!this.up(e.index)) {
      this.down(e.index);
    }
    this.rearm();
  }

  remove(e: TimerEntry): void {
    const i = e.index;
    if (i < 0) return;
    const last = this.heap.pop() as TimerEntry;
    e.index = -1;
    if (last !== e) {
      this.heap[i] = last;
      last.index = i;
      if (!this.up(i)) this.down(i);
    }
    this.rearm();
  }

  private readonly onExpired = (): void => {
    this.armedUs = -1;
    this.firing = true;
    try {
      const first = this.heap[0];
      if (this.onLateWake && first !== undefined && monotonicUs() - first.deadlineUs > LATE_WAKE_US) this.onLateWake();
      // Fire everything due; a callback may arm or cancel other entries (the heap stays consistent).
      for (let top = this.heap[0]; top !== undefined && top.deadlineUs <= monotonicUs(); top = this.heap[0]) {
        this.remove(top);
        top.fire(top.deadlineUs);
      }
    } finally {
      this.firing = false;
      this.rearm();
    }
  };

  private rearm(): void {
    if (this.firing) return;
    const top = this.heap[0];
    if (!top) {
      if (this.armedUs >= 0) this.timer?.disarm();
      this.armedUs = -1;
      if (this.refed) this.timer?.setRef(false);
      this.refed = false;
      return;
    }
    if (top.deadlineUs === this.armedUs) return;
    this.timer ??= this.open(this.onExpired);
    if (!this.refed) this.timer.setRef(true);
    this.refed = true;
    this.armedUs = top.deadlineUs;
    this.timer.armAt(top.deadlineUs);
  }

  private less(a: TimerEntry, b: TimerEntry): boolean {
    return a.deadlineUs < b.deadlineUs || (a.deadlineUs === b.deadlineUs && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i] as TimerEntry;
    const b = this.heap[j] as TimerEntry;
    this.heap[i] = b;
    b.index = i;
    this.heap[j] = a;
    a.index = j;
  }

  /** Sifts up; true when the entry moved. */
  private up(i: number): boolean {
    const start = i;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(this.heap[i] as TimerEntry, this.heap[p] as TimerEntry)) break;
      this.swap(i, p);
      i = p;
    }
    return i !== start;
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.heap[l] as TimerEntry, this.heap[m] as TimerEntry)) m = l;
      if (r < n && this.less(this.heap[r] as TimerEntry, this.heap[m] as TimerEntry)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

let shared: TimerQueue | undefined;

/** The process's queue (one OS timer for every instance). */
export function sharedTimerQueue(): TimerQueue {
  shared ??= new TimerQueue();
  return shared;
}
