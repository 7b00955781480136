import { centisecondsToUs, initialSnapshot, step } from '../core/index.js';
import type { Action, InstanceEvent, InstanceSnapshot, TimerName, VrrpState } from '../core/types.js';
import { monotonicUs } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { DeadlineTimers } from './deadline-timers.js';
import { DropCounters } from './drop-counters.js';
import type { InstanceSettings } from './instance-config.js';

/** The side effects of one instance, implemented over sockets and netlink in production and by fakes in tests. */
export interface InstanceIo {
  sendAdvert(priority: number, advertIntervalCs: number): void;
  addVips(): void;
  removeVips(): void;
  /** Sends `repeat` gratuitous ARPs / unsolicited NAs per VIP; returns how many frames went out. */
  sendGarp(repeat: number): number;
  /** A sender that takes a Master's periodic adverts off the JS timer (the addon's ticker), when there is one. */
  readonly periodic?: PeriodicAdverts;
}

/**
 * The Master's steady-state adverts sent without waking the state machine: the same bytes every
 * Advertisement_Interval until an event changes them (docs/design.md, Timers).
 */
export interface PeriodicAdverts {
  /** Sends from firstDeadlineUs on, every periodUs; false when the adverts must stay on the JS timer. */
  start(firstDeadlineUs: number, periodUs: number, priority: number, advertIntervalCs: number): boolean;
  /** The content of the next adverts (a new priority); no-op when unchanged. */
  update(priority: number, advertIntervalCs: number): void;
  stop(): void;
  /** Adverts sent so far. */
  readonly sent: number;
  /** The next one's deadline (µs); undefined when stopped. */
  readonly nextDeadlineUs: number | undefined;
}

export interface TransitionRecord {
  from: VrrpState;
  to: VrrpState;
  reason: string;
  monoMs: number;
}

/**
 * Drives one instance's pure state machine: feeds it events stamped with the monotonic clock, executes
 * the actions it returns in order, and owns the instance's timers and counters.
 */
export class InstanceRunner {
  snapshot: InstanceSnapshot;
  readonly drops = new DropCounters();
  garpsSent = 0;
  lastTransition: TransitionRecord | null = null;
  /** The monotonic time (µs) of the event the actions being executed come from. */
  private stepUs = 0;
  /** The 'adver' timer is with io.periodic, not with the JS timers (the core still believes it armed). */
  private offloaded = false;
  /**
   * The source of the last advert this instance accepted as Backup (priority > 0), as keepalived's master_saddr:
   * kept across state changes, and what `skip_check_adv_addr` compares a new advert's source with.
   */
  lastMasterSource: string | undefined;
  private readonly timers: DeadlineTimers<TimerName>;
  private readonly transitionListeners: ((t: TransitionRecord) => void)[] = [];
  private readonly eventListeners: ((event: 'MASTER_RX_LOWER_PRI') => void)[] = [];

  constructor(
    readonly settings: InstanceSettings,
    private readonly io: InstanceIo,
    private readonly log: Logger,
  ) {
    this.snapshot = initialSnapshot(settings.params);
    this.timers = new DeadlineTimers((timer) => this.handle({ type: 'timer', timer }));
  }

  get name(): string {
    return this.settings.name;
  }

  get state(): VrrpState {
    return this.snapshot.state;
  }

  onTransition(cb: (t: TransitionRecord) => void): void {
    this.transitionListeners.push(cb);
  }

  /** keepalived notify events that are not transitions (MASTER_RX_LOWER_PRI). */
  onNotifyEvent(cb: (event: 'MASTER_RX_LOWER_PRI') => void): void {
    this.eventListeners.push(cb);
  }

  handle(ev: InstanceEvent, nowUs = monotonicUs()): void {
    const { state, actions } = step(this.snapshot, ev, nowUs);
    this.snapshot = state;
    this.stepUs = nowUs;
    for (const a of actions) this.execute(a);
    // A priority change (tracking) arms nothing: the offloaded adverts carry it from the next one on.
    if (this.offloaded)
      this.guard('update the periodic adverts', () =>
        this.io.periodic?.update(state.effectivePriority, state.params.advertIntervalCs),
      );
  }

  /** Cancels every timer without running the state machine (used after shutdown has been handled). */
  dispose(): void {
    this.stopOffload();
    this.timers.cancelAll();
  }

  timerDeadlineUs(timer: TimerName): number | undefined {
    if (timer === 'adver' && this.offloaded) return this.io.periodic?.nextDeadlineUs;
    return this.timers.deadline(timer);
  }

  /** Every advert sent: by the state machine's actions and by the periodic sender. */
  get advertsSent(): number {
    return this.snapshot.counters.advertsSent + (this.io.periodic?.sent ?? 0);
  }

  /**
   * A Master's 'adver' timer goes to the periodic sender when there is one: it sends at the same deadlines
   * the timer would have fired at (core/timer-math.ts nextPeriodicDeadlineUs), with the current priority.
   */
  private offloadAdverts(deadlineUs: number): boolean {
    const periodic = this.io.periodic;
    const s = this.snapshot;
    if (!periodic || s.state !== 'MASTER') return false;
    let started = false;
    this.guard('start the periodic adverts', () => {
      started = periodic.start(
        deadlineUs,
        centisecondsToUs(s.params.advertIntervalCs),
        s.effectivePriority,
        s.params.advertIntervalCs,
      );
    });
    this.offloaded = started;
    if (started) this.timers.cancel('adver');
    return started;
  }

  private stopOffload(): void {
    if (!this.offloaded) return;
    this.offloaded = false;
    this.guard('stop the periodic adverts', () => this.io.periodic?.stop());
  }

  private execute(a: Action): void {
    switch (a.type) {
      case 'send-advert':
        this.guard('send advert', () => this.io.sendAdvert(a.priority, a.advertIntervalCs));
        return;
      case 'add-vips':
        this.guard('add VIPs', () => this.io.addVips());
        return;
      case 'remove-vips':
        this.guard('remove VIPs', () => this.io.removeVips());
        return;
      case 'send-garp':
        this.guard('send gratuitous ARP/NA', () => {
          this.garpsSent += this.io.sendGarp(a.repeat);
        });
        return;
      case 'arm-timer':
        if (a.timer === 'adver' && this.offloadAdverts(a.deadlineUs)) return;
        if (a.timer === 'adver') this.stopOffload();
        this.timers.arm(a.timer, a.deadlineUs);
        return;
      case 'cancel-timer':
        if (a.timer === 'adver') this.stopOffload();
        this.timers.cancel(a.timer);
        return;
      case 'transition': {
        // Stamped with the step's time (when the state machine decided, which its timers run from), not when
        // the line is written: actions before it in the step (VIPs, adverts) take time, more so under load.
        const monoMs = Math.round(this.stepUs) / 1000;
        const t: TransitionRecord = { from: a.from, to: a.to, reason: a.reason, monoMs };
        this.lastTransition = t;
        this.log.info('state transition', {
          mono: monoMs,
          instance: this.name,
          from: a.from,
          to: a.to,
          reason: a.reason,
          priority: this.snapshot.effectivePriority,
        });
        for (const cb of this.transitionListeners) cb(t);
        return;
      }
      case 'notify-event':
        for (const cb of this.eventListeners) cb(a.event);
        return;
    }
  }

  /** An OS error in one action (link down while sending, say) is logged; the protocol keeps running. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error(`failed to ${what}`, { instance: this.name, error: (e as Error).message });
    }
  }
}
