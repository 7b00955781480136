import type { VrrpInstanceSettings } from '../topology/vrrp-settings.js';
import type { AdapterHost } from './types.js';

/** Address family of an address with or without prefix. */
export function addressFamily(addr: string): 4 | 6 {
  return addr.includes(':') ? 6 : 4;
}

export function instanceFamily(inst: VrrpInstanceSettings): 4 | 6 {
  return addressFamily(inst.vips[0] ?? '');
}

export function stripPrefix(addr: string): string {
  return addr.split('/')[0] ?? addr;
}

/** Whether x is a whole multiple of step, tolerant of binary floating point (0.1 * 3 etc.). */
export function isMultipleOf(x: number, step: number): boolean {
  const q = x / step;
  return Math.abs(q - Math.round(q)) < 1e-6;
}

export const NGINX_PLACEHOLDER = '{{nginxCheck}}';

/**
 * Settings no VRRP implementation can honour as written (protocol limits), shared by every adapter.
 * Each would otherwise be silently changed: keepalived, for instance, runs a v2 IPv6 instance as v3
 * and rounds a v2 0.1 s interval to 1 s (docs/quirks.md Q7) with exit 0 or only a warning.
 */
export function protocolProblems(host: AdapterHost): string[] {
  const out: string[] = [];
  for (const inst of host.instances) {
    const tag = `${inst.name} (VRID ${inst.vrid})`;
    const fam = instanceFamily(inst);
    if (inst.vips.some((v) => addressFamily(v) !== fam))
      out.push(`${tag}: VIPs mix IPv4 and IPv6 (one family per instance)`);
    if (inst.version === 2 && fam === 6) out.push(`${tag}: VRRPv2 (RFC 3768) is IPv4 only`);
    if (inst.version === 2 && (!Number.isInteger(inst.advertIntervalS) || inst.advertIntervalS > 255)) {
      out.push(`${tag}: VRRPv2 advert interval must be whole seconds 1..255 (got ${inst.advertIntervalS})`);
    }
    if (
      inst.version === 3 &&
      (!isMultipleOf(inst.advertIntervalS, 0.01) || inst.advertIntervalS < 0.01 || inst.advertIntervalS > 40.95)
    ) {
      out.push(`${tag}: VRRPv3 advert interval must be 0.01..40.95 s in 0.01 s steps (got ${inst.advertIntervalS})`);
    }
    if (inst.version === 3 && inst.authPass !== undefined) out.push(`${tag}: VRRPv3 has no authentication`);
    if (inst.unicast && host.peers.filter((p) => addressFamily(p) === fam).length === 0) {
      out.push(`${tag}: unicast without any IPv${fam} peer on the link`);
    }
    if (inst.unicast && !host.addresses.some((a) => addressFamily(a) === fam)) {
      out.push(`${tag}: unicast needs an IPv${fam} address of this host as source`);
    }
    for (const s of inst.trackScripts) {
      if (s.script.includes(NGINX_PLACEHOLDER) && host.nginxCheck === undefined) {
        out.push(`${tag}: track script ${s.name} uses ${NGINX_PLACEHOLDER} but host ${host.name} has no nginx check`);
      }
    }
  }
  const seen = new Set<string>();
  for (const inst of host.instances) {
    const key = `${inst.vrid}/${instanceFamily(inst)}`;
    if (seen.has(key)) out.push(`two instances with VRID ${inst.vrid} and IPv${instanceFamily(inst)} on one host`);
    seen.add(key);
  }
  return out;
}
