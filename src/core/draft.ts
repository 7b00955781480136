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
  readonly s: Mutable<Omit<InstanceSnapshot, 'timers' | 'counters'>>;
  readonly timers: Partial<Record<TimerName, number>>;
  readonly counters: Mutable<InstanceCounters>;
  readonly actions: Action[] = [];

  constructor(
    snapshot: InstanceSnapshot,
    readonly nowUs: number,
  ) {
    const { timers, counters, ...rest } = snapshot;
    this.s = { ...rest };
    this.timers = { ...timers };
    this.counters = { ...counters };
  }

  get p(): InstanceParams {
    return this.s.params;
  }

  get isOwner(): boolean {
    return this.p.priority === 255;
  }

  finish(): StepResult {
    // timers and counters are this Draft's own copies (made in the constructor) and the Draft ends here:
    // handing them over instead of copying them again halves what a step allocates.
    const state: InstanceSnapshot = { ...this.s, timers: this.timers, counters: this.counters };
    return { state, actions: this.actions };
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
