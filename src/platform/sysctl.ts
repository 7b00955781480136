/**
 * net.* sysctls through /proc/sys. /proc/sys/net shows the network namespace of the process that opens the
 * file, so a daemon started inside a netns reads and writes that namespace's values. Used where rtnetlink
 * has no setter (net.ipv6.conf.IF.disable_ipv6, net.ipv4.conf.{all,default}.*).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { toPlatformError } from './capabilities.js';

/** key as a list of path parts, so interface names with dots ("vrrp.51") stay one part. */
export function sysctlPath(parts: readonly string[]): string {
  return `/proc/sys/${parts.join('/')}`;
}

export function readSysctl(parts: readonly string[]): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(sysctlPath(parts), 'utf8').trim(), 10);
    return Number.isNaN(n) ? undefined : n;
  } catch {
    return undefined;
  }
}

export function writeSysctl(parts: readonly string[], value: number): void {
  try {
    writeFileSync(sysctlPath(parts), `${value}\n`);
  } catch (err) {
    throw toPlatformError(err, { action: `set ${parts.join('.')} = ${value}`, capability: 'CAP_NET_ADMIN' });
  }
}
