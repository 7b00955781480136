import { centisecondsToUs, initialSnapshot, repeatOnlyRestartsMasterDown, step } from '../core/index.js';
import type { Action, InstanceEvent, InstanceSnapshot, TimerName, VrrpState } from '../core/types.js';
import type { ReceivedPacket, WatchSummary } from '../platform/index.js';
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
  /** A Backup's Master_Down timer restarted by the receive path for repeats of one advert, when there is one. */
  readonly masterDown?: MasterDownOffload;
}

/**
 * A Backup's Master_Down_Timer kept outside the state machine while the Master repeats the same advert: each
 * identical advert restarts it from its arrival, and only a different packet or the expiry wakes the state
 * machine (docs/design.md, Timers).
 */
export interface MasterDownOffload {
  /** Restarts the timer (deadline deadlineUs) at every repeat of `packet`; false when it must stay in JS. */
  start(packet: ReceivedPacket, deadlineUs: number, intervalUs: number, onExpired: (atUs: number) => void): boolean;
  /** Stops; the repeats it took since start. */
  stop(): WatchSummary;
  /** Repeats taken since start. */
  readonly absorbed: number;
  /** The timer's deadline; undefined when stopped. */
  readonly deadlineUs: number | undefined;
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
  /** The advert whose repeats io.masterDown restarts Master_Down for; its timer is not with the JS timers. */
  private watched: Extract<InstanceEvent, { type: 'advert' }> | undefined;
  /** Repeats io.masterDown took in earlier watches, beyond the one replayed into the state machine each. */
  private repeatsAbsorbed = 0;
  /** The deadline the last step armed Master_Down at, if it did. */
  private masterDownArmedUs: number | undefined;
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
    this.reclaimMasterDown();
    const { state, actions } = step(this.snapshot, ev, nowUs);
    this.snapshot = state;
    this.stepUs = nowUs;
    this.masterDownArmedUs = undefined;
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
    if (this.watched) {
      this.watched = undefined;
      this.io.masterDown?.stop();
    }
    this.timers.cancelAll();
  }

  timerDeadlineUs(timer: TimerName): number | undefined {
    if (timer === 'adver' && this.offloaded) return this.io.periodic?.nextDeadlineUs;
    if (timer === 'masterDown' && this.watched) return this.io.masterDown?.deadlineUs;
    return this.timers.deadline(timer);
  }

  /** Every advert sent: by the state machine's actions and by the periodic sender. */
  get advertsSent(): number {
    return this.snapshot.counters.advertsSent + (this.io.periodic?.sent ?? 0);
  }

  /** Every advert accepted: by the state machine, and the repeats io.masterDown took. */
  get advertsReceived(): number {
    const live = this.watched ? (this.io.masterDown?.absorbed ?? 0) : 0;
    return this.snapshot.counters.advertsReceived + this.repeatsAbsorbed + live;
  }

  /**
   * After `ev`, received as `packet`, was handled: when all a repeat of it would do is restart Master_Down
   * (core repeatOnlyRestartsMasterDown), the timer goes to io.masterDown, which restarts it for each identical
   * advert; the next other event takes it back first (reclaimMasterDown).
   */
  watchRepeats(packet: ReceivedPacket, ev: Extract<InstanceEvent, { type: 'advert' }>): void {
    const offload = this.io.masterDown;
    const deadlineUs = this.masterDownArmedUs;
    if (!offload || deadlineUs === undefined || this.watched) return;
    if (!repeatOnlyRestartsMasterDown(this.snapshot, ev.priority)) return;
    let started = false;
    this.guard('watch for repeated adverts', () => {
      started = offload.start(packet, deadlineUs, deadlineUs - this.stepUs, (atUs) => this.masterDownExpired(atUs));
    });
    if (!started) return;
    this.watched = ev;
    this.timers.cancel('masterDown');
  }

  /**
   * Brings the state machine up to date with what io.masterDown did: the last repeat is replayed as the advert
   * it is (at its arrival, so Master_Down runs from there and is back on the JS timers), the others counted.
   */
  private reclaimMasterDown(): void {
    const ev = this.watched;
    if (!ev) return;
    this.watched = undefined;
    const { absorbed, lastAtUs } = this.io.masterDown?.stop() ?? { absorbed: 0, lastAtUs: 0 };
    if (absorbed === 0) {
      const deadline = this.snapshot.timers.masterDown;
      if (deadline !== undefined) this.timers.arm('masterDown', deadline);
      return;
    }
    this.repeatsAbsorbed += absorbed - 1;
    this.handle(ev, lastAtUs);
  }

  /** `atUs`: when the offload found its deadline passed (its repeats read first). */
  private masterDownExpired(atUs: number): void {
    if (!this.watched) return;
    this.reclaimMasterDown();
    this.handle({ type: 'timer', timer: 'masterDown' }, atUs);
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
        if (a.timer === 'masterDown') this.masterDownArmedUs = a.deadlineUs;
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
