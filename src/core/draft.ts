/**
 * A private, mutable copy of one snapshot plus the actions produced while handling one event. step() makes a
 * fresh Draft per call, so the state machine stays pure from the outside while its handlers read naturally.
 */
import { centisecondsToUs, masterDownIntervalUs, skewTimeUs } from './timer-math.js';
import type {
  Action,
  InstanceCounters,
  InstanceParams,
  InstanceSnapshot,
  StepResult,
  TimerName,
  VrrpState,
} from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class Draft {
  /** The next snapshot, built in place: its timers and counters are this Draft's own copies below. */
  readonly s: Mutable<InstanceSnapshot>;
  readonly timers: Partial<Record<TimerName, number>>;
  readonly counters: Mutable<InstanceCounters>;
  readonly actions: Action[] = [];

  constructor(
    snapshot: InstanceSnapshot,
    readonly nowUs: number,
  ) {
    // Plain spreads, no rest destructuring (V8 copies with an exclusion list much more slowly): a Master at
    // 1 cs takes a step 100 times a second.
    this.timers = { ...snapshot.timers };
    this.counters = { ...snapshot.counters };
    this.s = { ...snapshot, timers: this.timers, counters: this.counters };
  }

  get p(): InstanceParams {
    return this.s.params;
  }

  get isOwner(): boolean {
    return this.p.priority === 255;
  }

  finish(): StepResult {
    // `s` and its timers and counters are this Draft's own copies and the Draft ends here: handing them over
    // instead of copying them again halves what a step allocates.
    return { state: this.s, actions: this.actions };
  }

  skewUs(): number {
    return skewTimeUs(this.p.version, this.s.effectivePriority, this.s.masterAdverIntervalCs);
  }

  masterDownUs(): number {
    return masterDownIntervalUs(
      this.p.version,
      this.s.effectivePriority,
      this.s.masterAdverIntervalCs,
      this.p.downTimerAdverts,
    );
  }

  adverIntervalUs(): number {
    return centisecondsToUs(this.p.advertIntervalCs);
  }

  arm(timer: TimerName, at: number): void {
    // keepalived vrrp_init_instance_sands: during vrrp_startup_delay a Backup's down timer runs from the end
    // of the delay, so no instance takes over before the delay is over (vrrp_scheduler.c).
    const delayEnd = this.s.delayedStartUntilUs;
    const deadlineUs =
      timer === 'masterDown' && delayEnd !== undefined && this.nowUs < delayEnd ? delayEnd + this.masterDownUs() : at;
    this.timers[timer] = deadlineUs;
    this.actions.push({ type: 'arm-timer', timer, deadlineUs });
  }

  /** Emits cancel-timer only for a timer that is armed, so action lists never carry no-op cancels. */
  cancel(timer: TimerName): void {
    if (this.timers[timer] === undefined) return;
    // undefined rather than delete: a deleted key turns the object into a slow dictionary on every copy.
    this.timers[timer] = undefined;
    this.actions.push({ type: 'cancel-timer', timer });
  }

  /** The timer fired: it is no longer armed, and the runtime already knows, so no cancel action. */
  consume(timer: TimerName): void {
    this.timers[timer] = undefined;
  }

  sendAdvert(priority: number): void {
    this.actions.push({ type: 'send-advert', priority, advertIntervalCs: this.p.advertIntervalCs });
    this.counters.advertsSent++;
    if (priority === 0) this.counters.priZeroSent++;
  }

  sendGarp(repeat: number): void {
    if (repeat > 0) this.actions.push({ type: 'send-garp', repeat });
  }

  addVips(): void {
    this.s.vipsInstalled = true;
    this.actions.push({ type: 'add-vips' });
  }

  removeVips(): void {
    this.s.vipsInstalled = false;
    this.actions.push({ type: 'remove-vips' });
  }

  notifyEvent(event: 'MASTER_RX_LOWER_PRI'): void {
    this.actions.push({ type: 'notify-event', event });
  }

  transition(to: VrrpState, reason: string): void {
    const from = this.s.state;
    this.s.state = to;
    this.s.lastTransitionUs = this.nowUs;
    this.counters.transitions++;
    if (to === 'MASTER') this.counters.becameMaster++;
    if (from === 'MASTER') this.counters.releasedMaster++;
    this.actions.push({ type: 'transition', from, to, reason });
  }
}
