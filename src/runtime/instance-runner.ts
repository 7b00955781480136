import { initialSnapshot, step } from '../core/index.js';
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
  }

  /** Cancels every timer without running the state machine (used after shutdown has been handled). */
  dispose(): void {
    this.timers.cancelAll();
  }

  timerDeadlineUs(timer: TimerName): number | undefined {
    return this.timers.deadline(timer);
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
        this.timers.arm(a.timer, a.deadlineUs);
        return;
      case 'cancel-timer':
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
