import {
  authDataFromPassword,
  isLinkLocalV6,
  VRRP_MULTICAST_V4,
  VRRP_MULTICAST_V6,
  verifyVrrpChecksum,
  vmacFor,
} from '../../../src/protocol/index.js';
import { type AdvertFrame, allOf, EvidenceLog, ms } from '../evidence.js';
import { ipHeader, VRRP_GROUP_MAC, vrrpMessage } from '../tester.js';
import type { Verdict } from '../types.js';

/**
 * Oracles over the adverts one DUT instance sent (T1–T10): each takes the captured adverts and what the
 * configuration asked for, and measures the fields the RFC fixes.
 */

export interface TxExpect {
  version: 2 | 3;
  family: 4 | 6;
  vrid: number;
  priority: number;
  intervalCs: number;
  vips: readonly string[];
  authPass?: string;
  /** Addresses the DUT may send from: its primary IPv4 / its IPv6 link-locals. */
  sources: readonly string[];
  /** Capture time of the graceful stop, when the capture covers one. */
  stopWallMs?: number;
}

export interface TxInput {
  adverts: readonly AdvertFrame[];
  expect: TxExpect;
  t0WallMs: number;
}

const masterAdverts = (i: TxInput) => i.adverts.filter((a) => a.d.advert.priority > 0);

/** Every advert must satisfy `check`; the first offender becomes the decisive packet. */
function every(
  i: TxInput,
  what: string,
  check: (a: AdvertFrame) => string | undefined,
  pass: string,
  minAdverts = 3,
): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  log.measure('adverts', i.adverts.length);
  if (i.adverts.length < minAdverts) return log.verdict(false, `only ${i.adverts.length} adverts captured (${what})`);
  for (const a of i.adverts) {
    const why = check(a);
    if (why !== undefined) {
      log.packet(a.frame, why);
      return log.verdict(false, `${what}: ${why}`);
    }
  }
  log.packet((i.adverts[0] as AdvertFrame).frame);
  return log.verdict(true, pass);
}

export function judgeT1(i: TxInput): Verdict {
  const fam = i.expect.family;
  const group = fam === 4 ? VRRP_MULTICAST_V4 : VRRP_MULTICAST_V6;
  return every(
    i,
    'T1',
    (a) => {
      const ip = ipHeader(a.frame);
      const proto = fam === 4 ? ip[9] : ip[6];
      const ttl = fam === 4 ? ip[8] : ip[7];
      const dstMac = a.frame.ev.kind === 'vrrp' ? a.frame.ev.dstMac : '';
      if (a.d.ip.dst !== group) return `destination ${a.d.ip.dst}, not ${group}`;
      if (dstMac !== VRRP_GROUP_MAC[fam]) return `destination MAC ${dstMac}, not ${VRRP_GROUP_MAC[fam]}`;
      if (proto !== 112) return `protocol ${proto}, not 112`;
      if (ttl !== 255) return `${fam === 4 ? 'TTL' : 'hop limit'} ${ttl}, not 255`;
      return undefined;
    },
    `every advert to ${group} (${VRRP_GROUP_MAC[fam]}), protocol 112, ${fam === 4 ? 'TTL' : 'hop limit'} 255`,
  );
}

export function judgeT2(i: TxInput): Verdict {
  return every(
    i,
    'T2',
    (a) => {
      const src = a.d.ip.src;
      if (i.expect.vips.includes(src)) return `source ${src} is a VIP`;
      if (i.expect.family === 6 && !isLinkLocalV6(src)) return `source ${src} is not link-local`;
      if (!i.expect.sources.includes(src)) return `source ${src}, not one of ${i.expect.sources.join(', ')}`;
      return undefined;
    },
    `source ${i.adverts[0]?.d.ip.src ?? '-'} (${i.expect.family === 4 ? 'primary IPv4' : 'link-local'}), never a VIP`,
  );
}

export function judgeT3(i: TxInput): Verdict {
  const vmac = vmacFor(i.expect.family, i.expect.vrid);
  return every(
    i,
    'T3',
    (a) => {
      const src = a.frame.ev.kind === 'vrrp' ? a.frame.ev.srcMac : '';
      return src === vmac ? undefined : `source MAC ${src}, not the VMAC ${vmac}`;
    },
    `source MAC ${vmac}`,
  );
}

export function judgeT4(i: TxInput): Verdict {
  const e = i.expect;
  const byte0 = e.version === 3 ? 0x31 : 0x21;
  const want = [...e.vips].sort().join(' ');
  return every(
    { ...i, adverts: masterAdverts(i) },
    'T4',
    (a) => {
      const m = vrrpMessage(a.frame);
      if (m[0] !== byte0) return `byte 0 is 0x${(m[0] ?? 0).toString(16)}, not 0x${byte0.toString(16)}`;
      if (m[1] !== e.vrid) return `VRID ${m[1]}, not ${e.vrid}`;
      if (m[2] !== e.priority) return `priority ${m[2]}, not ${e.priority}`;
      if (m[3] !== e.vips.length) return `Count ${m[3]}, not ${e.vips.length}`;
      const got = [...a.d.advert.addresses].sort().join(' ');
      return got === want ? undefined : `addresses [${got}], not [${want}]`;
    },
    `0x${byte0.toString(16)}, VRID ${e.vrid}, priority ${e.priority}, Count ${e.vips.length}, addresses as configured`,
  );
}

/** v3 Max Adver Int on the wire: `expectedCs` is what the configuration means in the 12-bit field. */
export function judgeT5(i: TxInput, expectedCs = i.expect.intervalCs, minAdverts = 3): Verdict {
  const seen = new Set<number>();
  const v = every(
    i,
    'T5',
    (a) => {
      const m = vrrpMessage(a.frame);
      const rsvd = (m[4] as number) >> 4;
      const cs = (((m[4] as number) & 0x0f) << 8) | (m[5] as number);
      seen.add(cs);
      if (rsvd !== 0) return `rsvd ${rsvd}, not 0`;
      return cs === expectedCs ? undefined : `Max Adver Int ${cs} cs, not ${expectedCs} cs`;
    },
    `rsvd 0, Max Adver Int ${expectedCs} cs`,
    minAdverts,
  );
  v.measurements.maxAdverIntCs = [...seen].join(',');
  v.measurements.expectedCs = expectedCs;
  return v;
}

export function judgeT6(i: TxInput): Verdict {
  const e = i.expect;
  return every(
    i,
    'T6',
    (a) => {
      const m = vrrpMessage(a.frame);
      const n = e.vips.length;
      if (m.length !== 16 + 4 * n) return `length ${m.length}, not ${16 + 4 * n}`;
      if (m[5] !== e.intervalCs / 100) return `Adver Int ${m[5]} s, not ${e.intervalCs / 100} s`;
      const auth = m.subarray(8 + 4 * n);
      if (e.authPass === undefined) {
        if (m[4] !== 0) return `Auth Type ${m[4]}, not 0`;
        if (auth.some((b) => b !== 0)) return 'authentication data not zero';
      } else {
        if (m[4] !== 1) return `Auth Type ${m[4]}, not 1 (PASS)`;
        if (!auth.equals(authDataFromPassword(e.authPass))) return 'authentication data is not the password';
      }
      return undefined;
    },
    `Adver Int ${e.intervalCs / 100} s, Auth Type ${e.authPass === undefined ? '0 with 8 zero bytes' : '1 with the password'}, length ${16 + 4 * e.vips.length}`,
  );
}

export function judgeT7(i: TxInput): Verdict {
  const e = i.expect;
  const form = e.version === 2 ? 'v2' : e.family === 6 ? 'ipv6' : 'rfc5798';
  return every(
    i,
    'T7',
    (a) => {
      const m = vrrpMessage(a.frame);
      return verifyVrrpChecksum(m, form, a.d.ip.src, a.d.ip.dst) ? undefined : `checksum not valid in the ${form} form`;
    },
    `checksums valid (${form} form)`,
  );
}

export function judgeT8(i: TxInput): Verdict {
  return every(
    i,
    'T8',
    (a) => {
      const m = vrrpMessage(a.frame);
      const n = a.d.count;
      if (m.length !== 8 + 16 * n) return `length ${m.length} for Count ${n}: not ${8 + 16 * n} (IPv6 addresses only)`;
      const first = a.d.advert.addresses[0] ?? '';
      return isLinkLocalV6(first) ? undefined : `first address ${first} is not link-local`;
    },
    'IPv6 addresses only, the link-local first',
  );
}

function stats(xs: readonly number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  return { n, mean, min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * T9: the mean gap between adverts as Master within ±3 % of the interval (drift: keepalived and FRR, which re-arm
 * the timer after sending, were measured 3–4 % long at 0.1 s), at most 10 % of single gaps beyond
 * ±max(floorMs, 25 %) (a timer late on a shared 2-core machine, and the early one that catches up), and no gap of
 * two intervals or more (a missing advert).
 */
export function judgeT9(i: TxInput, floorMs = 60): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  const times = masterAdverts(i).map((a) => a.wallMs);
  const gaps = times.slice(1).map((t, k) => t - (times[k] as number));
  const want = i.expect.intervalCs * 10;
  if (gaps.length < 4) return log.verdict(false, `only ${gaps.length} gaps captured`);
  const s = stats(gaps);
  const bound = Math.max(floorMs, want * 0.25);
  const outliers = gaps.filter((g) => Math.abs(g - want) > bound).length;
  log.measure('intervalMs', want).measure('gaps', s.n).measure('meanGapMs', s.mean);
  log.measure('minGapMs', s.min).measure('maxGapMs', s.max).measure('gapsBeyondBound', outliers);
  return allOf(
    log,
    [
      [Math.abs(s.mean - want) <= want * 0.03, `mean gap ${ms(s.mean)}, not ${ms(want)} ± 3 %`],
      [
        outliers <= gaps.length * 0.1,
        `${outliers} of ${gaps.length} gaps beyond ±${ms(bound)} (range ${ms(s.min)}–${ms(s.max)})`,
      ],
      [s.max < 2 * want, `a gap of ${ms(s.max)}: an advert is missing`],
    ],
    `mean gap ${ms(s.mean)} for ${ms(want)}; ${outliers} of ${gaps.length} gaps beyond ±${ms(bound)}`,
  );
}

export function judgeT10(i: TxInput): Verdict {
  const log = new EvidenceLog(i.t0WallMs);
  const e = i.expect;
  const prios = i.adverts.map((a) => a.d.advert.priority);
  const zeros = i.adverts.filter((a) => a.d.advert.priority === 0);
  const others = [...new Set(prios.filter((p) => p !== 0))];
  log.measure('priorities', others.join(',')).measure('priorityZeroAdverts', zeros.length);
  for (const z of zeros) log.packet(z.frame, 'priority 0');
  if (e.stopWallMs !== undefined) log.event(e.stopWallMs, 'harness', 'graceful stop');
  const checks: Array<[boolean, string]> = [
    [others.length === 1 && others[0] === e.priority, `priorities sent ${others.join(',')}, not only ${e.priority}`],
    [e.priority === 255 || !prios.includes(255), 'a non-owner sent priority 255'],
    [zeros.every((z) => e.stopWallMs !== undefined && z.wallMs >= e.stopWallMs), 'priority 0 before the stop'],
  ];
  if (e.stopWallMs !== undefined) checks.push([zeros.length >= 1, 'no priority-0 advert after the stop']);
  return allOf(log, checks, `priority ${e.priority} throughout, priority 0 only after the stop (${zeros.length})`);
}
