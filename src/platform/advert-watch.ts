import { toPlatformError } from './capabilities.js';
import { type NativeHandle, optionalBinding } from './native.js';
import type { ReceivedPacket, VrrpSocket } from './vrrp-socket.js';

interface WatchBinding {
  watchOpen(onExpired: (atUs: number) => void): NativeHandle;
  watchStart(
    h: NativeHandle,
    socket: NativeHandle,
    data: Buffer,
    src: string,
    dst: string,
    ttl: number,
    ifindex: number,
    deadlineUs: number,
    intervalUs: number,
  ): void;
  watchStop(h: NativeHandle): [absorbed: number, lastAtUs: number, deadlineUs: number];
  watchInfo(h: NativeHandle): [absorbed: number, lastAtUs: number, deadlineUs: number];
  watchClose(h: NativeHandle): void;
}

/** What a watch did since it started: the repeats it took and when the last one arrived (monotonic µs). */
export interface WatchSummary {
  absorbed: number;
  lastAtUs: number;
}

/**
 * A Backup's Master_Down timer kept by the addon (native/advert_watch.c): every repeat of one advert, as its
 * socket receives it, restarts the timer from its arrival without reaching JavaScript; anything else is
 * delivered as before. `onExpired(atUs)` runs when the timer expires, after the socket's queue was read; atUs is
 * the monotonic time it found the deadline passed.
 */
export class AdvertWatch {
  private constructor(
    private readonly b: WatchBinding,
    private readonly handle: NativeHandle,
    private readonly ifname: string,
  ) {}

  /** undefined when the addon has no watch (the caller then keeps the timer in JS). */
  static open(ifname: string, onExpired: (atUs: number) => void): AdvertWatch | undefined {
    const binding = optionalBinding<WatchBinding>('watchOpen');
    if (!binding) return undefined;
    return new AdvertWatch(binding, binding.watchOpen(onExpired), ifname);
  }

  /** Watches for repeats of `p` (received on `socket`); the timer expires at deadlineUs unless one comes. */
  start(socket: VrrpSocket, p: ReceivedPacket, deadlineUs: number, intervalUs: number): void {
    try {
      this.b.watchStart(this.handle, socket.handle, p.data, p.src, p.dst, p.ttl, p.ifindex, deadlineUs, intervalUs);
    } catch (err) {
      throw toPlatformError(err, { action: 'watch for repeated adverts', ifname: this.ifname });
    }
  }

  /** Stops (no-op when stopped) and tells what it did. */
  stop(): WatchSummary {
    const [absorbed, lastAtUs] = this.b.watchStop(this.handle);
    return { absorbed, lastAtUs };
  }

  /** Repeats taken since start. */
  get absorbed(): number {
    return this.b.watchInfo(this.handle)[0];
  }

  /** The timer's deadline (µs), undefined when stopped. */
  get deadlineUs(): number | undefined {
    const d = this.b.watchInfo(this.handle)[2];
    return d < 0 ? undefined : d;
  }

  close(): void {
    this.b.watchClose(this.handle);
  }
}
