import { monotonicMs } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

/** At most one info line per reason in this window; the rest are counted and reported with the next line. */
const WINDOW_MS = 10_000;

/**
 * Logs discarded packets at info with their reason (RFC 5798 §7.1: "SHOULD log the event"), rate-limited per
 * reason: a peer flooding bad adverts costs one line per reason every 10 s, not one per packet. Every discard
 * is also counted (DropCounters); this is only the log.
 */
export class DiscardLog {
  private readonly last = new Map<string, { atMs: number; suppressed: number }>();
  /**
   * keepalived's `log_unknown_vrids`: an advert for a VRID no instance on the interface has is logged each
   * time (keepalived logs every one, unthrottled); without it, as in keepalived, it is only counted.
   */
  logUnknownVrids = false;

  constructor(
    readonly log: Logger,
    private readonly now: () => number = monotonicMs,
  ) {}

  discard(reason: string, fields: Record<string, unknown>): void {
    if (reason === 'unknown-vrid') {
      if (this.logUnknownVrids) this.log.info('unknown VRID received, ignoring', fields);
      return;
    }
    const t = this.now();
    const seen = this.last.get(reason);
    if (seen && t - seen.atMs < WINDOW_MS) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(reason, { atMs: t, suppressed: 0 });
    this.log.info('advert discarded', { reason, ...fields, ...(suppressed > 0 ? { suppressed } : {}) });
  }
}
