import type { PacketSocket } from '../platform/index.js';
import { monotonicUs } from '../util/clock.js';
import { sharedTimerQueue, type TimerEntry, type TimerQueue } from './timer-queue.js';

/** Where a paced frame leaves: the AF_PACKET socket of its interface. */
export type FrameSender = Pick<PacketSocket, 'send'>;

/**
 * `vrrp_garp_interval` / `vrrp_gna_interval` (and a `garp_group`'s intervals): the gratuitous ARPs (unsolicited
 * NAs) of one interface — or of every interface of a garp_group's `interfaces` — leave at least this far apart,
 * whichever instance they belong to. As in keepalived 2.2.7, what cannot go yet is marked pending per address —
 * a repeat of an address already pending is not sent twice — and each interval sends the first pending one in
 * address order (`rank`). ARP and NA are paced separately. Interval 0: sent at once.
 * (docs/quirks.md Q47; test/integration/keywords/garp-interval.test.ts compares both daemons.)
 */
export class GarpPacer {
  /** Pending frames (one per address: the instance reuses its frame buffers), their rank and socket. */
  private readonly pending = new Map<Buffer, { rank: number; via: FrameSender }>();
  private lastUs = Number.NEGATIVE_INFINITY;
  private readonly entry: TimerEntry = { deadlineUs: 0, seq: 0, index: -1, fire: () => this.pump() };

  constructor(
    private readonly intervalUs: number,
    private readonly timers: TimerQueue = sharedTimerQueue(),
  ) {}

  /** Sends now if the interval allows and nothing waits; otherwise marks the frame pending. */
  send(frame: Buffer, rank: number, via: FrameSender): void {
    if (this.intervalUs <= 0) {
      via.send(frame);
      return;
    }
    const now = monotonicUs();
    if (this.pending.size === 0 && now >= this.lastUs + this.intervalUs) {
      this.lastUs = now;
      via.send(frame);
      return;
    }
    if (!this.pending.has(frame)) this.pending.set(frame, { rank, via });
    this.timers.schedule(this.entry, this.lastUs + this.intervalUs);
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** Drops what waits from `via` (its socket is closing), or everything. */
  drop(via?: FrameSender): void {
    for (const [frame, p] of this.pending) if (via === undefined || p.via === via) this.pending.delete(frame);
    if (this.pending.size === 0) this.timers.remove(this.entry);
  }

  private pump(): void {
    let first: Buffer | undefined;
    let best: { rank: number; via: FrameSender } | undefined;
    for (const [frame, p] of this.pending) {
      if (best === undefined || p.rank < best.rank) {
        best = p;
        first = frame;
      }
    }
    if (first === undefined || best === undefined) return;
    this.pending.delete(first);
    this.lastUs = monotonicUs();
    best.via.send(first);
    if (this.pending.size > 0) this.timers.schedule(this.entry, this.lastUs + this.intervalUs);
  }
}
