import { monotonicUs } from '../util/clock.js';
import { PlatformError } from '../util/errors.js';
import { type NativeHandle, optionalBinding } from './native.js';

/**
 * One re-armable one-shot timer on an absolute CLOCK_MONOTONIC deadline in µs (the clock of
 * process.hrtime() and util/clock). It fires when the clock has reached the deadline, never before.
 */
export interface MonotonicTimer {
  /** Fire once at deadlineUs (a deadline in the past fires at once); replaces any earlier arm. */
  armAt(deadlineUs: number): void;
  disarm(): void;
  /** Whether the armed timer keeps the process alive (like a Node timer's ref/unref); false at first. */
  setRef(ref: boolean): void;
  close(): void;
}

interface TimerBinding {
  timerOpen(cb: () => void): NativeHandle;
  timerArm(handle: NativeHandle, deadlineUs: number): void;
  timerDisarm(handle: NativeHandle): void;
  timerSetRef(handle: NativeHandle, ref: boolean): void;
  timerClose(handle: NativeHandle): void;
}

/** A timerfd (src/platform/native/timerfd.c) watched by the libuv loop: wakes at the µs, never spins. */
class TimerFd implements MonotonicTimer {
  private readonly handle: NativeHandle;

  constructor(
    private readonly b: TimerBinding,
    onExpired: () => void,
  ) {
    this.handle = b.timerOpen(onExpired);
  }
  armAt(deadlineUs: number): void {
    this.b.timerArm(this.handle, Math.max(0, deadlineUs));
  }
  disarm(): void {
    this.b.timerDisarm(this.handle);
  }
  setRef(ref: boolean): void {
    this.b.timerSetRef(this.handle, ref);
  }
  close(): void {
    this.b.timerClose(this.handle);
  }
}

/**
 * Without the addon (unit tests of pure modules without a build): Node's millisecond timers, finished by
 * setImmediate turns for the sub-millisecond rest, because they may fire ~1 ms early on the hrtime clock.
 */
class LoopTimer implements MonotonicTimer {
  private t: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private deadlineUs = 0;
  private ref = false;
  private readonly check = (): void => {
    this.t = undefined;
    if (monotonicUs() < this.deadlineUs) this.schedule();
    else this.onExpired();
  };

  constructor(private readonly onExpired: () => void) {}
  armAt(deadlineUs: number): void {
    this.disarm();
    this.deadlineUs = deadlineUs;
    this.schedule();
  }
  private schedule(): void {
    const remainingUs = this.deadlineUs - monotonicUs();
    this.t = remainingUs >= 1000 ? setTimeout(this.check, Math.floor(remainingUs / 1000)) : setImmediate(this.check);
    if (!this.ref) this.t.unref();
  }
  disarm(): void {
    if (this.t && 'refresh' in this.t) clearTimeout(this.t);
    else if (this.t) clearImmediate(this.t);
    this.t = undefined;
  }
  setRef(ref: boolean): void {
    this.ref = ref;
    if (ref) this.t?.ref();
    else this.t?.unref();
  }
  close(): void {
    this.disarm();
  }
}

/** `kind` forces one implementation (tests); by default the timerfd when the addon has it. */
export function openMonotonicTimer(onExpired: () => void, kind?: 'timerfd' | 'loop'): MonotonicTimer {
  const b = kind === 'loop' ? undefined : optionalBinding<TimerBinding>('timerOpen');
  if (b) return new TimerFd(b, onExpired);
  if (kind === 'timerfd')
    throw new PlatformError('the native addon has no timerfd support: rebuild it (npm run install)', 'ENOADDON');
  return new LoopTimer(onExpired);
}
