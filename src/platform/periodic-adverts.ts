import { toPlatformError } from './capabilities.js';
import { type NativeHandle, optionalBinding } from './native.js';
import type { VrrpSocket } from './vrrp-socket.js';

/** One advert of a Master's periodic send: the encoded VRRP message and where it goes (as VrrpSocket.send). */
export interface AdvertPacket {
  payload: Buffer;
  dst: string;
  src?: string;
  ttl?: number;
}

interface TickerBinding {
  tickerOpen(onError: (err: Error) => void): NativeHandle;
  tickerStart(
    h: NativeHandle,
    socket: NativeHandle,
    packets: unknown[][],
    firstDeadlineUs: number,
    periodUs: number,
  ): void;
  tickerUpdate(h: NativeHandle, socket: NativeHandle, packets: unknown[][]): void;
  tickerStop(h: NativeHandle): void;
  tickerInfo(h: NativeHandle): [sent: number, nextDeadlineUs: number];
  tickerClose(h: NativeHandle): void;
}

const asNative = (packets: readonly AdvertPacket[]): unknown[][] =>
  packets.map((p) => [p.payload, p.dst, p.src, p.ttl]);

/**
 * A Master's periodic adverts sent by the addon (native/advert_ticker.c) from the event loop, without waking
 * JavaScript: on absolute CLOCK_MONOTONIC deadlines, each a period after the previous one.
 */
export class PeriodicAdvertSender {
  private constructor(
    private readonly b: TickerBinding,
    private readonly handle: NativeHandle,
    private readonly ifname: string,
  ) {}

  /** undefined when the addon has no ticker (the caller then sends from JS). `onError`: a failed send. */
  static open(ifname: string, onError: (e: Error) => void): PeriodicAdvertSender | undefined {
    const binding = optionalBinding<TickerBinding>('tickerOpen');
    if (!binding) return undefined;
    const handle = binding.tickerOpen((err) => onError(toPlatformError(err, { action: 'send an advert', ifname })));
    return new PeriodicAdvertSender(binding, handle, ifname);
  }

  /** Sends `packets` at firstDeadlineUs and every periodUs after; replaces any running schedule. */
  start(socket: VrrpSocket, packets: readonly AdvertPacket[], firstDeadlineUs: number, periodUs: number): void {
    this.guard(() => this.b.tickerStart(this.handle, socket.handle, asNative(packets), firstDeadlineUs, periodUs));
  }

  /** New packets from the next advert on (a new priority, a new socket); the schedule is kept. */
  update(socket: VrrpSocket, packets: readonly AdvertPacket[]): void {
    this.guard(() => this.b.tickerUpdate(this.handle, socket.handle, asNative(packets)));
  }

  stop(): void {
    this.b.tickerStop(this.handle);
  }

  /** Adverts sent since open (one per period, whatever the number of destinations). */
  get sent(): number {
    return this.b.tickerInfo(this.handle)[0];
  }

  /** The next advert's deadline (µs), undefined when stopped. */
  get nextDeadlineUs(): number | undefined {
    const next = this.b.tickerInfo(this.handle)[1];
    return next < 0 ? undefined : next;
  }

  close(): void {
    this.b.tickerClose(this.handle);
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      throw toPlatformError(err, { action: 'schedule periodic adverts', ifname: this.ifname });
    }
  }
}
