import { AdvertWatch, type ReceivedPacket, type VrrpSocket, type WatchSummary } from '../platform/index.js';
import type { MasterDownOffload } from './instance-runner.js';

export interface WatchedMasterDownOptions {
  ifname: string;
  /** The socket the instance receives on; undefined while it has none. */
  socket(): VrrpSocket | undefined;
}

const NOTHING: WatchSummary = { absorbed: 0, lastAtUs: 0 };

/**
 * MasterDownOffload over the addon's advert watch (platform/advert-watch.ts): a Backup's Master_Down timer is
 * restarted by the receive path for each repeat of the Master's advert. Opened at the first use.
 */
export class WatchedMasterDown implements MasterDownOffload {
  private watch: AdvertWatch | undefined;
  private opened = false;
  private onExpired: ((atUs: number) => void) | undefined;

  constructor(private readonly o: WatchedMasterDownOptions) {}

  start(packet: ReceivedPacket, deadlineUs: number, intervalUs: number, onExpired: (atUs: number) => void): boolean {
    const socket = this.o.socket();
    if (!socket) return false;
    if (!this.opened) {
      this.opened = true;
      this.watch = AdvertWatch.open(this.o.ifname, (atUs) => this.onExpired?.(atUs));
    }
    if (!this.watch) return false;
    this.onExpired = onExpired;
    this.watch.start(socket, packet, deadlineUs, intervalUs);
    return true;
  }

  stop(): WatchSummary {
    this.onExpired = undefined;
    return this.watch?.stop() ?? NOTHING;
  }

  /** Stops for good: the addon's handle is closed (the instance is gone). */
  close(): void {
    this.onExpired = undefined;
    this.watch?.close();
    this.watch = undefined;
  }

  get absorbed(): number {
    return this.watch?.absorbed ?? 0;
  }

  get deadlineUs(): number | undefined {
    return this.watch?.deadlineUs;
  }
}
