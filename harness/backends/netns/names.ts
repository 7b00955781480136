import { randomBytes } from 'node:crypto';

/**
 * Every kernel object and file of a run carries its run id, so concurrent runs never collide and a
 * cleanup can be scoped to one run (never a global sweep by name shape, cf. mininet `mn -c`).
 */

export const RUN_ID_PATTERN = /^[a-z0-9]{6}$/;
export const RUN_ENV = 'VRRPLAB_RUN';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 6 characters [a-z0-9] (36^6 ≈ 2·10^9): short enough to fit in a 15-byte interface name. */
export function newRunId(): string {
  // 256 is not a multiple of 36: reject the top bytes so every character is equally likely.
  let id = '';
  while (id.length < 6) {
    for (const b of randomBytes(12)) {
      if (b < 252 && id.length < 6) id += ALPHABET[b % 36];
    }
  }
  return id;
}

export function isRunId(s: string): boolean {
  return RUN_ID_PATTERN.test(s);
}

export function netnsPrefix(rid: string): string {
  return `vl-${rid}-`;
}

/** Host namespace: `vl-<rid>-<host>` (host names are [a-z0-9]{1,12}, "sw" is reserved). */
export function hostNetns(rid: string, host: string): string {
  return `vl-${rid}-${host}`;
}

/** The run's switch namespace, holding every bridge of the run. */
export function switchNetns(rid: string): string {
  return `vl-${rid}-sw`;
}

/** Bridge for the n-th switch of the topology: `b<rid>s<n>` (≤ 15 bytes up to 9999 switches). */
export function bridgeName(rid: string, switchIndex: number): string {
  return `b${rid}s${switchIndex}`;
}

/** Switch-side port of link `link` of host `host` (indices): `p<rid>h<h>l<l>`, ≤ 15 bytes. */
export function portName(rid: string, hostIndex: number, linkIndex: number): string {
  const name = `p${rid}h${hostIndex}l${linkIndex}`;
  if (name.length > 15) throw new RangeError(`port name ${name} exceeds IFNAMSIZ`);
  return name;
}

/** nft table in the switch namespace (bridge family) for switch filters of this run. */
export function nftTableName(rid: string, suffix = 'sw'): string {
  return `vl_${rid}_${suffix}`;
}
