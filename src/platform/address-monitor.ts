/**
 * Address removals from a NETLINK_ROUTE socket (RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR): a VIP deleted from
 * outside (`ip addr del`) while its instance is Master. Additions are ignored. An overrun (ENOBUFS) is reported
 * as an error: removals in it are lost, which only delays the instance noticing (its VIPs stay missing).
 */
import { EventEmitter } from 'node:events';
import { toPlatformError } from './capabilities.js';
import { bytesToIp } from './ip-bytes.js';
import { type NativeHandle, native } from './native.js';
import { parseAddressMessage, parseMessages, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR } from './netlink/messages.js';

export interface AddressRemoval {
  ifindex: number;
  address: string;
}

export interface AddressMonitorEvents {
  removed: [AddressRemoval];
  error: [Error];
}

export class AddressMonitor extends EventEmitter<AddressMonitorEvents> {
  private handle: NativeHandle | undefined;

  constructor() {
    super();
    let h: NativeHandle;
    try {
      h = native().openNetlink(RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR);
    } catch (err) {
      throw toPlatformError(err, { action: 'open the netlink address socket', capability: 'CAP_NET_ADMIN' });
    }
    this.handle = h;
    native().startReceive(h, (err, data) => {
      if (err) {
        this.emit('error', toPlatformError(err, { action: 'receive address events' }));
        return;
      }
      for (const m of data ? parseMessages(data) : []) {
        const a = parseAddressMessage(m);
        if (a?.deleted && (a.address.length === 4 || a.address.length === 16)) {
          this.emit('removed', { ifindex: a.ifindex, address: bytesToIp(a.address) });
        }
      }
    });
  }

  unref(): this {
    if (this.handle) native().setRef(this.handle, false);
    return this;
  }

  close(): void {
    if (!this.handle) return;
    native().close(this.handle);
    this.handle = undefined;
  }
}
