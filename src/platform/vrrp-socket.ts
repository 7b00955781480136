/**
 * Raw VRRP socket (IP protocol 112) on one interface. Options are set in the addon (open_vrrp):
 * TTL/hop limit 255 (RFC 5798 §5.1.1.3), TOS 0xc0, no loopback, IP(V6)_MULTICAST_ALL off, bound to the
 * device, joined to 224.0.0.18 / ff02::12 when joinMulticast. Receive runs in the libuv loop.
 */
import { toPlatformError } from './capabilities.js';
import { ipFamily } from './ip-bytes.js';
import { type NativeHandle, native } from './native.js';

export interface VrrpSocketOptions {
  family: 4 | 6;
  ifname: string;
  /** IPv4: the interface's primary address. IPv6: its link-local address (RFC 5798 §5.1.2.1). */
  localAddress: string;
  /** Join 224.0.0.18 / ff02::12 (false for unicast-only peers). */
  joinMulticast: boolean;
}

export interface ReceivedPacket {
  /** IPv4: the whole IP packet, header included (so TTL is visible). IPv6: the VRRP payload only. */
  data: Buffer;
  family: 4 | 6;
  src: string;
  dst: string;
  /** IPv4 TTL or IPv6 hop limit. */
  ttl: number;
  ifindex: number;
  /** Monotonic µs (same clock as process.hrtime / util/clock monotonicUs), taken at recvmsg. */
  receivedAtUs: number;
}

export const VRRP_MULTICAST = { 4: '224.0.0.18', 6: 'ff02::12' } as const;

export class VrrpSocket {
  private closed = false;
  private receiving = false;
  private readonly packetListeners: ((p: ReceivedPacket) => void)[] = [];
  private readonly errorListeners: ((e: Error) => void)[] = [];

  private constructor(
    /** The addon's handle, for platform modules that send on this socket (periodic-adverts.ts). */
    readonly handle: NativeHandle,
    readonly family: 4 | 6,
    readonly ifname: string,
    readonly localAddress: string,
  ) {}

  /** Throws PlatformError: EPERM (needs CAP_NET_RAW), ENODEV (no such interface), EINVAL (bad address). */
  static open(o: VrrpSocketOptions): VrrpSocket {
    const local = o.localAddress.replace(/%.*$/, ''); // accept "fe80::1%eth0"
    if (ipFamily(local) !== o.family) {
      throw toPlatformError(
        Object.assign(new Error(`'${o.localAddress}' is not an IPv${o.family} address`), { code: 'EINVAL' }),
        {
          action: 'open the VRRP socket',
          ifname: o.ifname,
        },
      );
    }
    try {
      const h = native().openVrrp(o.family, o.ifname, local, o.joinMulticast);
      return new VrrpSocket(h, o.family, o.ifname, local);
    } catch (err) {
      throw toPlatformError(err, {
        action: `open the IPv${o.family} VRRP socket`,
        ifname: o.ifname,
        address: local,
        capability: 'CAP_NET_RAW',
      });
    }
  }

  /**
   * Sends a VRRP message; the kernel builds the IP header. dst: group or unicast peer. `src` overrides the
   * socket's local address for this packet (one socket serves every instance of the interface, each with its
   * own source); `ttl` overrides the TTL / hop limit 255 (unicast_ttl).
   */
  send(payload: Buffer, dst: string, o: { src?: string; ttl?: number } = {}): void {
    try {
      native().send(this.handle, payload, dst, o.src, o.ttl);
    } catch (err) {
      throw toPlatformError(err, { action: `send an advert to ${dst}`, ifname: this.ifname, address: dst });
    }
  }

  /** Starts receiving on the first call; every listener gets every packet. */
  onPacket(cb: (p: ReceivedPacket) => void): void {
    this.packetListeners.push(cb);
    if (this.receiving || this.closed) return;
    this.receiving = true;
    const family = this.family;
    native().startReceive(this.handle, (err, data, src, dst, ttl, ifindex, receivedAtUs) => {
      if (err) {
        const e = toPlatformError(err, { action: 'receive', ifname: this.ifname });
        if (this.errorListeners.length === 0) process.emitWarning(e);
        for (const l of this.errorListeners) l(e);
        return;
      }
      const p: ReceivedPacket = {
        data: data!,
        family,
        src: src!,
        dst: dst!,
        ttl: ttl!,
        ifindex: ifindex!,
        receivedAtUs: receivedAtUs!,
      };
      for (const l of this.packetListeners) l(p);
    });
  }

  /**
   * Delivers, now, every packet already queued in the kernel (no-op before onPacket). Used before acting on a
   * late timer: a stalled loop that wakes with both ready must count the advert before Master_Down.
   */
  drainPending(): void {
    if (this.receiving && !this.closed) native().drainPending(this.handle);
  }

  /** Receive errors (rare: the socket keeps working). Without a listener they become process warnings. */
  onError(cb: (e: Error) => void): void {
    this.errorListeners.push(cb);
  }

  /** Joins an extra group (e.g. an IPv6 VIP's solicited-node group). */
  joinGroup(group: string): void {
    this.membership(group, true);
  }

  leaveGroup(group: string): void {
    this.membership(group, false);
  }

  private membership(group: string, join: boolean): void {
    try {
      native().membership(this.handle, group, join);
    } catch (err) {
      throw toPlatformError(err, {
        action: `${join ? 'join' : 'leave'} ${group}`,
        ifname: this.ifname,
        address: group,
      });
    }
  }

  /** Whether receiving keeps the process alive (default true). */
  ref(): this {
    native().setRef(this.handle, true);
    return this;
  }

  unref(): this {
    native().setRef(this.handle, false);
    return this;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops receiving and closes the fd. Idempotent. No callback runs after close() returns. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    native().close(this.handle);
  }
}
