/**
 * Send-only AF_PACKET socket on one interface, for whole Ethernet frames (gratuitous ARP, unsolicited NA).
 * The frame's EtherType (bytes 12–13) and destination MAC (bytes 0–5) address each send.
 */
import { toPlatformError } from './capabilities.js';
import { type NativeHandle, native } from './native.js';

export class PacketSocket {
  private closed = false;

  private constructor(
    private readonly handle: NativeHandle,
    readonly ifname: string,
  ) {}

  /** Throws PlatformError: EPERM (needs CAP_NET_RAW), ENODEV (no such interface). */
  static open(ifname: string): PacketSocket {
    try {
      return new PacketSocket(native().openPacket(ifname), ifname);
    } catch (err) {
      throw toPlatformError(err, { action: 'open the packet socket', ifname, capability: 'CAP_NET_RAW' });
    }
  }

  /** frame: destination MAC, source MAC, EtherType, payload (no FCS). ENETDOWN if the link is down. */
  send(frame: Buffer): void {
    try {
      native().send(this.handle, frame);
    } catch (err) {
      throw toPlatformError(err, { action: 'send a frame', ifname: this.ifname });
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    native().close(this.handle);
  }
}
