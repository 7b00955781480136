import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PlatformError } from '../util/errors.js';
import { packageRoot } from '../util/package-info.js';

/** Opaque handle returned by the addon (a napi external). */
export type NativeHandle = { readonly __brand: 'vrrp_socket handle' };

/** Errors thrown by the addon: `code` is the errno name (EPERM, ENODEV, ...), `syscall` the failing call. */
export interface NativeError extends Error {
  code: string;
  errno: number;
  syscall: string;
}

export type NativeReceiveCallback = (
  err: NativeError | null,
  data?: Buffer,
  src?: string,
  dst?: string,
  ttl?: number,
  ifindex?: number,
  receivedAtUs?: number,
) => void;

export interface NativeBinding {
  openVrrp(family: 4 | 6, ifname: string, localAddress: string, joinMulticast: boolean): NativeHandle;
  openPacket(ifname: string): NativeHandle;
  /** groups: RTMGRP_* bit mask. */
  openNetlink(groups: number): NativeHandle;
  startReceive(handle: NativeHandle, cb: NativeReceiveCallback): void;
  /** Synchronously delivers every datagram already queued on a receiving socket to its callback. */
  drainPending(handle: NativeHandle): void;
  /**
   * VRRP sockets need dst, and take an optional per-packet source address and TTL / hop limit; packet sockets
   * take a whole Ethernet frame; netlink sockets send to the kernel.
   */
  send(handle: NativeHandle, data: Buffer, dst?: string, src?: string, ttl?: number): void;
  membership(handle: NativeHandle, group: string, join: boolean): void;
  close(handle: NativeHandle): void;
  setRef(handle: NativeHandle, ref: boolean): void;
  /** A persistent blocking rtnetlink request socket (stays in the netns it was created in). */
  openRtnl(): NativeHandle;
  /** One synchronous rtnetlink request; returns all reply messages up to NLMSG_DONE / NLMSG_ERROR of its seq. */
  rtnlRequest(request: Buffer, handle?: NativeHandle): Buffer;
  /** Runs fn with the calling thread in the netns at path, switching back even if fn throws. */
  withNetns<T>(path: string, fn: () => T): T;
  ifNameToIndex(ifname: string): number;
}

export { packageRoot };

let binding: NativeBinding | undefined;

/** Loaded on first use, so modules that only parse (and their unit tests) work without a build. */
export function native(): NativeBinding {
  if (binding) return binding;
  const path = join(packageRoot(), 'build', 'Release', 'vrrp_socket.node');
  try {
    binding = createRequire(import.meta.url)(path) as NativeBinding;
  } catch (cause) {
    throw new PlatformError(
      `cannot load the native addon ${path}: run 'npm run install' (node-gyp rebuild)`,
      'ENOADDON',
      { cause },
    );
  }
  return binding;
}

/**
 * The addon's functions of one module, recognised by its function `probe`; undefined without the addon (unit
 * tests) or with a build that lacks the module, where the caller falls back to JavaScript.
 */
export function optionalBinding<T>(probe: keyof T & string): T | undefined {
  try {
    const b = native() as unknown as Partial<T>;
    return typeof b[probe] === 'function' ? (b as T) : undefined;
  } catch {
    return undefined;
  }
}
