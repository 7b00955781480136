/**
 * Link up/down events from a NETLINK_ROUTE socket (RTMGRP_LINK), for track_interface and the
 * daemon's own interface, and address removals (RTMGRP_IPV4/IPV6_IFADDR), for a VIP deleted from outside. Each notification only says "this link changed": the current state is
 * re-read with RTM_GETLINK (µs), so events that queued up while JS was busy can never apply stale state.
 * An overrun (ENOBUFS: the kernel dropped notifications) triggers a full re-dump.
 */
import { EventEmitter } from 'node:events';
import { toPlatformError } from './capabilities.js';
import { type LinkState, linkStateOf, listLinks } from './interfaces.js';
import { bytesToIp } from './ip-bytes.js';
import { type NativeHandle, native } from './native.js';
import {
  encodeIfInfoMsg,
  parseAddressMessage,
  parseLinkMessage,
  parseMessages,
  RTM_GETLINK,
  RTMGRP_IPV4_IFADDR,
  RTMGRP_IPV6_IFADDR,
  RTMGRP_LINK,
} from './netlink/messages.js';
import { rtnlRequest } from './netlink/rtnl.js';

export interface LinkChange {
  ifname: string;
  ifindex: number;
  /** Admin up (IFF_UP) and carrier (IFF_RUNNING). A deleted link is reported down. */
  up: boolean;
  adminUp: boolean;
  operstate: string;
  deleted: boolean;
}

/** An address deleted from an interface (by anyone, vrrpd included). */
export interface AddressRemoval {
  ifindex: number;
  address: string;
}

export interface LinkMonitorEvents {
  change: [LinkChange];
  /** Removals lost in an overrun (ENOBUFS) are not replayed: only links are re-dumped. */
  addressRemoved: [AddressRemoval];
  error: [Error];
}

export class LinkMonitor extends EventEmitter<LinkMonitorEvents> {
  private readonly byIndex = new Map<number, LinkState>();
  private handle: NativeHandle | undefined;
  /** Request socket created with the subscription, so re-reads query the same network namespace. */
  private rtnl: NativeHandle | undefined;

  /** Opens the netlink socket and loads the current state of every link. */
  constructor() {
    super();
    let h: NativeHandle;
    try {
      h = native().openNetlink(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR);
    } catch (err) {
      throw toPlatformError(err, { action: 'open the netlink socket', capability: 'CAP_NET_ADMIN' });
    }
    this.handle = h;
    this.rtnl = native().openRtnl();
    // Subscribed before the dump: a change in between shows up as an event and is re-read.
    this.resync(false);
    native().startReceive(h, (err, data) => {
      if (err) {
        if (err.code === 'ENOBUFS') this.resync(true);
        else this.emit('error', toPlatformError(err, { action: 'receive link events' }));
        return;
      }
      if (data) this.onMessages(data);
    });
  }

  /** Current state of a link (undefined if it does not exist). */
  linkState(ifname: string): LinkState | undefined {
    for (const s of this.byIndex.values()) if (s.ifname === ifname) return { ...s };
    return undefined;
  }

  links(): LinkState[] {
    return [...this.byIndex.values()].map((s) => ({ ...s }));
  }

  ref(): this {
    if (this.handle) native().setRef(this.handle, true);
    return this;
  }

  unref(): this {
    if (this.handle) native().setRef(this.handle, false);
    return this;
  }

  close(): void {
    if (!this.handle) return;
    native().close(this.handle);
    if (this.rtnl) native().close(this.rtnl);
    this.handle = undefined;
    this.rtnl = undefined;
  }

  private onMessages(data: Buffer): void {
    // One datagram may hold several notifications for the same link: re-read each link once.
    const touched = new Map<number, string>();
    for (const m of parseMessages(data)) {
      const link = parseLinkMessage(m);
      if (link) touched.set(link.ifindex, link.ifname);
      const a = parseAddressMessage(m);
      if (a?.deleted && (a.address.length === 4 || a.address.length === 16)) {
        this.emit('addressRemoved', { ifindex: a.ifindex, address: bytesToIp(a.address) });
      }
    }
    for (const [ifindex, ifname] of touched) {
      let fresh: LinkState | undefined;
      try {
        const reply = rtnlRequest(RTM_GETLINK, encodeIfInfoMsg({ ifindex }), 0, this.rtnl)
          .map(parseLinkMessage)
          .find((l) => l !== undefined);
        fresh = reply ? linkStateOf(reply) : undefined;
      } catch {
        fresh = undefined; // ENODEV: the link was deleted (RTM_DELLINK) or vanished since the notification
      }
      this.apply(ifindex, fresh, ifname);
    }
  }

  private resync(emit: boolean): void {
    const now = new Map(listLinks(this.rtnl).map((l) => [l.ifindex, l] as const));
    for (const [idx, old] of [...this.byIndex]) if (!now.has(idx)) this.apply(idx, undefined, old.ifname, emit);
    for (const [idx, s] of now) this.apply(idx, s, s.ifname, emit);
  }

  private apply(ifindex: number, next: LinkState | undefined, ifname: string, emit = true): void {
    const prev = this.byIndex.get(ifindex);
    if (next) this.byIndex.set(ifindex, next);
    else this.byIndex.delete(ifindex);
    if (!emit || !this.handle) return;
    const changed = next
      ? !prev || prev.up !== next.up || prev.adminUp !== next.adminUp || prev.ifname !== next.ifname
      : prev !== undefined;
    if (!changed) return;
    this.emit('change', {
      ifname: next?.ifname ?? prev?.ifname ?? ifname,
      ifindex,
      up: next?.up ?? false,
      adminUp: next?.adminUp ?? false,
      operstate: next?.operstate ?? 'NOTPRESENT',
      deleted: next === undefined,
    });
  }
}
