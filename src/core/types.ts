/**
 * Types of the pure per-instance VRRP state machine (RFC 3768 / RFC 5798 §6.4 plus keepalived's FAULT
 * state). Every time is an absolute monotonic time in integer microseconds supplied by the caller;
 * nothing here reads a clock.
 */

/** RFC 5798 §6.3 states plus keepalived's FAULT (tracked interface/script failed, own interface down). */
export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';

export interface GarpParams {
  /** keepalived garp_master_delay: second burst this long after becoming Master; 0 = no second burst. */
  readonly masterDelayUs: number;
  /** keepalived garp_master_repeat (default 5): gratuitous ARPs/NAs per VIP in each burst; 0 = none. */
  readonly masterRepeat: number;
  /** keepalived garp_master_refresh: periodic burst while Master; 0 = off (the default). */
  readonly masterRefreshUs: number;
  /** keepalived garp_master_refresh_repeat (default 1). */
  readonly masterRefreshRepeat: number;
  /** keepalived garp_lower_prio_delay (defaults to garp_master_delay): delayed burst after a lower-priority advert; 0 = none. */
  readonly lowerPrioDelayUs: number;
  /** keepalived garp_lower_prio_repeat (defaults to garp_master_repeat); 0 = no GARPs on a lower-priority advert. */
  readonly lowerPrioRepeat: number;
}

export interface InstanceParams {
  readonly name: string;
  readonly version: 2 | 3;
  readonly vrid: number;
  /** Configured base priority 1..255; 255 = address owner (RFC 5798 §5.2.4). */
  readonly priority: number;
  /**
   * Configured Advertisement_Interval in centiseconds. v3: 1..4095. v2 carries whole seconds on the
   * wire, so a v2 value is a multiple of 100 (100..25500).
   */
  readonly advertIntervalCs: number;
  /** Preempt_Mode (RFC 5798 §6.1); false = keepalived `nopreempt`. The owner always preempts. */
  readonly preempt: boolean;
  /** keepalived preempt_delay in µs; 0 = off. Semantics: see backup.ts. */
  readonly preemptDelayUs: number;
  /**
   * keepalived `state`. It has no effect on timing here: docs/quirks.md Q1 measured that keepalived 2.2.7
   * with `state MASTER` and priority < 255 still starts in BACKUP and waits the full Master_Down_Interval
   * (its try_up_instance() forces wantstate BACKUP unless base priority is 255). Kept so the runtime and
   * notify scripts can show the configured value.
   */
  readonly initialState: 'BACKUP' | 'MASTER';
  /** Local primary address (IPv4 primary / IPv6 link-local) used for the equal-priority tie-break. */
  readonly primaryAddress: string;
  /** keepalived lower_prio_no_advert; false = RFC 9568 §6.4.3 re-advertise on a lower-priority advert. */
  readonly lowerPrioNoAdvert: boolean;
  /** keepalived higher_prio_send_advert: send one more advert before yielding to a higher priority. */
  readonly higherPrioSendAdvert: boolean;
  /** keepalived down_timer_adverts (non-RFC multiplier of Master_Adver_Interval), default 3. */
  readonly downTimerAdverts: number;
  readonly garp: GarpParams;
}

/**
 * Timers the state machine arms. masterDown and adver are RFC 5798 §6.2; the garp* timers are
 * keepalived's delayed, refresh and lower-priority GARP bursts.
 */
export type TimerName = 'masterDown' | 'adver' | 'garpDelay' | 'garpRefresh' | 'garpLowerPrio';

export type InstanceEvent =
  /** delayUs: keepalived vrrp_startup_delay (first start only): no Master_Down_Timer ends before it does. */
  | { readonly type: 'startup'; readonly delayUs?: number }
  | { readonly type: 'shutdown' }
  /** A received advert that the codec already validated (TTL, version, checksum, VRID, v2 interval, ...). */
  | { readonly type: 'advert'; readonly src: string; readonly priority: number; readonly advertIntervalCs: number }
  /** A deadline the runtime was asked to watch has passed. Stale or early events are ignored. */
  | { readonly type: 'timer'; readonly timer: TimerName }
  /** New effective priority from track_script / track_file / track_interface weights. Ignored for the owner. */
  | { readonly type: 'effective-priority'; readonly priority: number }
  /**
   * A fault source went bad or recovered. `source` names it (default 'local'); the instance is FAULT while
   * any source is faulted, so the runtime can send one source per tracked object, or aggregate and send
   * only 'local'. Sync groups use their own source (see sync-group.ts).
   */
  | { readonly type: 'fault'; readonly faulted: boolean; readonly reason: string; readonly source?: string }
  /**
   * A Master steps down to Backup without a final advert (keepalived set_vrrp_backup(): one of its tracked
   * VIPs was deleted from outside). It becomes Master again when its Master_Down_Interval passes unheard.
   */
  | { readonly type: 'resign'; readonly reason: string }
  /** keepalived sync group: another member changed state and this one must follow (see sync-group.ts). */
  | { readonly type: 'sync'; readonly to: 'MASTER' | 'BACKUP'; readonly reason: string };

/**
 * Side effects for the runtime, in the order they must be executed. `transition` always comes last in a
 * list, after the addresses are in their new state, because keepalived runs notify scripts at the end of
 * vrrp_state_become_master() / vrrp_state_leave_master().
 */
export type Action =
  | { readonly type: 'send-advert'; readonly priority: number; readonly advertIntervalCs: number }
  | { readonly type: 'add-vips' }
  | { readonly type: 'remove-vips' }
  /** Gratuitous ARP (IPv4) / unsolicited NA (IPv6) for every VIP, `repeat` times. */
  | { readonly type: 'send-garp'; readonly repeat: number }
  /** Arming an armed timer replaces its deadline (a reset); deadlines are absolute monotonic µs. */
  | { readonly type: 'arm-timer'; readonly timer: TimerName; readonly deadlineUs: number }
  | { readonly type: 'cancel-timer'; readonly timer: TimerName }
  | { readonly type: 'transition'; readonly from: VrrpState; readonly to: VrrpState; readonly reason: string }
  /** keepalived's notify events that are not transitions (vrrp_notify.c send_event_notify). */
  | { readonly type: 'notify-event'; readonly event: 'MASTER_RX_LOWER_PRI' };

export interface InstanceCounters {
  readonly transitions: number;
  readonly becameMaster: number;
  readonly releasedMaster: number;
  readonly advertsSent: number;
  readonly advertsReceived: number;
  readonly priZeroSent: number;
  readonly priZeroReceived: number;
}

export interface InstanceSnapshot {
  readonly params: InstanceParams;
  readonly state: VrrpState;
  /** Priority used in adverts and elections: base priority adjusted by tracking, 1..254, or 255 for the owner. */
  readonly effectivePriority: number;
  /** RFC 5798 §6.1 Master_Adver_Interval: learned from the Master in v3, the configured value otherwise. */
  readonly masterAdverIntervalCs: number;
  /** Sender of the last advert accepted as the Master's; null before one is heard and while we are Master. */
  readonly masterAddress: string | null;
  readonly masterPriority: number | null;
  /** Armed timers and their absolute deadlines (µs). A timer is armed iff it has an entry. */
  readonly timers: Readonly<Partial<Record<TimerName, number>>>;
  /** Faulted sources, sorted; the instance is FAULT (once started) while this is non-empty. */
  readonly faultSources: readonly string[];
  /** keepalived preempt_delay: end of the hold started by a lower-priority advert; null = hold not started. */
  readonly preemptHoldUntilUs: number | null;
  readonly vipsInstalled: boolean;
  readonly lastTransitionUs: number | null;
  /** End of keepalived's vrrp_startup_delay, when one was given at startup. */
  readonly delayedStartUntilUs?: number;
  readonly counters: InstanceCounters;
}

export interface StepResult {
  readonly state: InstanceSnapshot;
  readonly actions: readonly Action[];
}
