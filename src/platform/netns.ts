/**
 * Run synchronous code inside a named network namespace (/run/netns/NAME, as `ip netns add` makes).
 * Sockets keep the namespace they were created in, so one process can open VRRP sockets, link
 * monitors and change addresses in several namespaces. Only synchronous work is affected: the
 * thread switches back before withNetns returns, so fn must not return a Promise.
 */
import { toPlatformError } from './capabilities.js';
import { native } from './native.js';

export function netnsPath(name: string): string {
  return name.startsWith('/') ? name : `/run/netns/${name}`;
}

export function withNetns<T>(name: string, fn: () => T): T {
  let result: T;
  try {
    result = native().withNetns(netnsPath(name), fn);
  } catch (err) {
    const syscall = (err as { syscall?: string }).syscall;
    if (syscall === 'open' || syscall === 'setns') {
      throw toPlatformError(err, { action: `enter network namespace '${name}'`, capability: 'CAP_NET_ADMIN' as const });
    }
    throw err;
  }
  if (result instanceof Promise) {
    throw new TypeError('withNetns: fn must be synchronous (the namespace is left before a Promise settles)');
  }
  return result;
}
