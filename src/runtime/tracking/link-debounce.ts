import { EventEmitter } from 'node:events';
import type { KeepalivedConfig } from '../../config/model.js';
import type { LinkChange } from '../../platform/index.js';
import type { Logger } from '../../util/logger.js';

/** What the trackers read links through: the kernel's view (LinkMonitor) or a debounced one. */
export interface LinkView {
  linkState(ifname: string): { up: boolean } | undefined;
  on(event: 'change', cb: (c: LinkChange) => void): unknown;
  off(event: 'change', cb: (c: LinkChange) => void): unknown;
}

export interface LinkDelays {
  downMs: number;
  upMs: number;
}

/**
 * The delays of `interface_up_down_delays`, with keepalived 2.2.7's limit (vrrp.c check_debounce_timers, run
 * for each instance on the interface in turn): a delay must stay below (down_timer_adverts - 1) × advert_int,
 * or a peer Backup would take over before this instance goes FAULT; one that is not is cut to that minus
 * advert_int/256. An instance with down_timer_adverts 1 allows no delay at all. (keepalived cuts them again
 * when a VRRPv3 Master advertises a shorter interval; vrrpd keeps the limit of the configured interval.)
 */
export function effectiveLinkDelays(config: KeepalivedConfig): Map<string, LinkDelays> {
  const out = new Map<string, LinkDelays>();
  for (const d of config.interfaceDelays ?? []) {
    let downUs = Math.round(d.downS * 1_000_000);
    let upUs = Math.round(d.upS * 1_000_000);
    for (const inst of config.vrrpInstances) {
      if (inst.interface !== d.ifname) continue;
      if (inst.downTimerAdverts === 1) {
        downUs = 0;
        upUs = 0;
        continue;
      }
      const advertUs = inst.advertIntervalCs * 10_000;
      const limitUs = (inst.downTimerAdverts - 1) * advertUs;
      const cut = (us: number) => (us >= limitUs ? limitUs - Math.floor(advertUs / 256) : us);
      downUs = cut(downUs);
      upUs = cut(upUs);
    }
    out.set(d.ifname, { downMs: downUs / 1000, upMs: upUs / 1000 });
  }
  return out;
}

interface Pending {
  up: boolean;
  timer: NodeJS.Timeout;
}

/**
 * The links as the instances see them with `interface_up_down_delays` (keepalived_netlink.c
 * update_interface_flags): a change of a delayed interface is passed on only if it still holds when its
 * delay has run out; a return to the previous state before that cancels it, so a short flap is never seen.
 * A change is passed on at once while the interface has never been seen up (start-up), when its delay is 0,
 * and when the link is deleted. Other interfaces pass straight through.
 */
export class DebouncedLinks extends EventEmitter<{ change: [LinkChange] }> implements LinkView {
  /** The state passed on, per delayed interface. */
  private readonly shown = new Map<string, boolean>();
  private readonly seenUp = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly onChange = (c: LinkChange) => this.received(c);

  constructor(
    private readonly source: LinkView,
    private readonly delays: ReadonlyMap<string, LinkDelays>,
    private readonly log: Logger,
  ) {
    super();
    for (const ifname of delays.keys()) {
      const up = source.linkState(ifname)?.up ?? false;
      this.shown.set(ifname, up);
      if (up) this.seenUp.add(ifname);
    }
    source.on('change', this.onChange);
  }

  linkState(ifname: string): { up: boolean } | undefined {
    const real = this.source.linkState(ifname);
    const shown = this.shown.get(ifname);
    if (shown === undefined || real === undefined) return real;
    return { ...real, up: shown };
  }

  /** Stops listening and drops every pending change (a reload builds a new view). */
  close(): void {
    this.source.off('change', this.onChange);
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  private received(c: LinkChange): void {
    const delays = this.delays.get(c.ifname);
    const shown = this.shown.get(c.ifname);
    if (delays === undefined || shown === undefined) {
      this.emit('change', c);
      return;
    }
    const pending = this.pending.get(c.ifname);
    if (pending) {
      if (pending.up === c.up && !c.deleted) return;
      clearTimeout(pending.timer);
      this.pending.delete(c.ifname);
      this.log.info('interface delay timer cancelled', { interface: c.ifname, up: c.up });
    }
    if (c.up === shown) return;
    const delayMs = c.up ? delays.upMs : delays.downMs;
    if (this.seenUp.has(c.ifname) && delayMs > 0 && !c.deleted) {
      this.log.info('interface change delayed', { interface: c.ifname, up: c.up, delayMs });
      const timer = setTimeout(() => {
        this.pending.delete(c.ifname);
        this.show(c);
      }, delayMs);
      this.pending.set(c.ifname, { up: c.up, timer });
      return;
    }
    this.show(c);
  }

  private show(c: LinkChange): void {
    this.shown.set(c.ifname, c.up);
    if (c.up) this.seenUp.add(c.ifname);
    this.emit('change', c);
  }
}
