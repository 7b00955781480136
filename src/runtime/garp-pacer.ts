import type { PacketSocket } from '../platform/index.js';
import { monotonicUs } from '../util/clock.js';
import { sharedTimerQueue, type TimerEntry, type TimerQueue } from './timer-queue.js';

/**
 * `vrrp_garp_interval` / `vrrp_gna_interval`: the gratuitous ARPs (unsolicited NAs) of one interface leave at
 * least this far apart, whichever instance they belong to. As in keepalived 2.2.7, what cannot go yet is marked
 * pending per address — a repeat of an address already pending is not sent twice — and each interval sends the
 * first pending one in address order (`rank`). ARP and NA are paced separately. Interval 0: sent at once.
 * (docs/quirks.md Q47; test/integration/keywords/garp-interval.test.ts compares both daemons.)
 */
export class GarpPacer {
  /** Pending frames (one per address: the instance reuses its frame buffers) and their rank. */
  private readonly pending = new Map<Buffer, number>();
  private lastUs = Number.NEGATIVE_INFINITY;
  private readonly entry: TimerEntry = { deadlineUs: 0, seq: 0, index: -1, fire: () => this.pump() };

  constructor(
    private readonly socket: Pick<PacketSocket, 'send'>,
    private readonly intervalUs: number,
    private readonly timers: TimerQueue = sharedTimerQueue(),
  ) {}

  /** Sends now if the interval allows and nothing waits; otherwise marks the frame pending. */
  send(frame: Buffer, rank: number): void {
    if (this.intervalUs <= 0) {
      this.socket.send(frame);
      return;
    }
    const now = monotonicUs();
    if (this.pending.size === 0 && now >= this.lastUs + this.intervalUs) {
      this.lastUs = now;
      this.socket.send(frame);
      return;
    }
    if (!this.pending.has(frame)) this.pending.set(frame, rank);
    this.timers.schedule(this.entry, this.lastUs + this.intervalUs);
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** Drops what waits (the socket is closing). */
  close(): void {
    this.pending.clear();
    this.timers.remove(this.entry);
  }

  private pump(): void {
    let first: Buffer | undefined;
    let best = Number.POSITIVE_INFINITY;
    for (const [frame, rank] of this.pending) {
      if (rank < best) {
        best = rank;
        first = frame;
      }
    }
    if (first === undefined) return;
    this.pending.delete(first);
    this.lastUs = monotonicUs();
    this.socket.send(first);
    if (this.pending.size > 0) this.timers.schedule(this.entry, this.lastUs + this.intervalUs);
  }
}
