import { type AdvertPacket, PeriodicAdvertSender, type VrrpSocket } from '../platform/index.js';
import type { PeriodicAdverts } from './instance-runner.js';

export interface TickerAdvertsOptions {
  ifname: string;
  /** The encoded advert for each destination. */
  packets(priority: number, advertIntervalCs: number): AdvertPacket[];
  /** The socket to send on; undefined when the adverts must stay on the JS timer. */
  socket(): VrrpSocket | undefined;
  onError(e: Error): void;
}

/**
 * PeriodicAdverts over the addon's ticker (platform/periodic-adverts.ts): a Master's steady-state adverts
 * leave from the event loop without waking the state machine. Opened at the first takeover.
 */
export class TickerAdverts implements PeriodicAdverts {
  private sender: PeriodicAdvertSender | undefined;
  /** What is being sent while running. */
  private content: { priority: number; intervalCs: number } | undefined;
  private closed = false;

  constructor(private readonly o: TickerAdvertsOptions) {}

  start(firstDeadlineUs: number, periodUs: number, priority: number, intervalCs: number): boolean {
    const socket = this.o.socket();
    if (!socket || this.closed) return false;
    this.sender ??= PeriodicAdvertSender.open(this.o.ifname, this.o.onError);
    if (!this.sender) return false;
    this.sender.start(socket, this.o.packets(priority, intervalCs), firstDeadlineUs, periodUs);
    this.content = { priority, intervalCs };
    return true;
  }

  update(priority: number, intervalCs: number): void {
    const c = this.content;
    if (!c || (c.priority === priority && c.intervalCs === intervalCs)) return;
    this.send(priority, intervalCs);
  }

  /** The instance's socket was replaced: the running adverts move to the new one. */
  socketChanged(): void {
    const c = this.content;
    if (c) this.send(c.priority, c.intervalCs);
  }

  stop(): void {
    this.content = undefined;
    this.sender?.stop();
  }

  /** Stops for good: the addon's handle is closed (the instance is gone). */
  close(): void {
    this.stop();
    this.closed = true;
    this.sender?.close();
    this.sender = undefined;
  }

  get sent(): number {
    return this.sender?.sent ?? 0;
  }

  get nextDeadlineUs(): number | undefined {
    return this.content ? this.sender?.nextDeadlineUs : undefined;
  }

  private send(priority: number, intervalCs: number): void {
    const socket = this.o.socket();
    if (!socket || !this.sender) return;
    this.sender.update(socket, this.o.packets(priority, intervalCs));
    this.content = { priority, intervalCs };
  }
}
