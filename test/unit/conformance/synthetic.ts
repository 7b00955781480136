import type { Who } from '../../../harness/conformance/evidence.js';
import type { CapturedFrame } from '../../../harness/conformance/tester.js';
import {
  type AdvertInput,
  buildGratuitousArp,
  buildUnsolicitedNa,
  decodeEthernetFrame,
  type EncodeOptions,
  encodeAdvert,
  encodeIpv4Packet,
  encodeIpv6Packet,
  macToBytes,
  parseIpv6,
} from '../../../src/protocol/index.js';

/**
 * Synthetic captures for the oracles' negative controls: real frames built with the project's codec (so the
 * oracles decode them exactly as they decode a pcap), stamped with chosen capture times.
 */

export const DUT: Who = { name: 'dut', macs: ['02:00:00:00:00:01'], ips: ['10.0.0.1', 'fe80::1'] };
export const PEER: Who = { name: 'peer', macs: ['02:00:00:00:00:02'], ips: ['10.0.0.2', 'fe80::2'] };
export const VIP4 = '10.0.0.254';
export const VIP6 = 'fd00::254';

let index = 0;

export function captured(wallMs: number, data: Buffer): CapturedFrame {
  return { index: index++, wallMs, data, ev: decodeEthernetFrame(data) };
}

function ethernet(dst: string, src: string, type: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(14);
  macToBytes(dst).copy(h, 0);
  macToBytes(src).copy(h, 6);
  h.writeUInt16BE(type, 12);
  return Buffer.concat([h, payload]);
}

export interface AdvertOptions extends Partial<AdvertInput> {
  family?: 4 | 6;
  who?: Who;
  src?: string;
  dst?: string;
  ttl?: number;
  srcMac?: string;
  dstMac?: string;
  encode?: Partial<EncodeOptions>;
  /** Change the message after encoding (checksum left as is). */
  mutate?: (m: Buffer) => void;
}

/** A VRRP advert frame at `t` (default: v3, VRID 1, priority 100, 10 cs, from the DUT, to the group). */
export function advert(t: number, o: AdvertOptions = {}): CapturedFrame {
  const family = o.family ?? 4;
  const who = o.who ?? DUT;
  const src = o.src ?? (family === 4 ? (who.ips[0] as string) : (who.ips[1] as string));
  const dst = o.dst ?? (family === 4 ? '224.0.0.18' : 'ff02::12');
  const a: AdvertInput = {
    version: o.version ?? 3,
    vrid: o.vrid ?? 1,
    priority: o.priority ?? 100,
    advertIntervalCs: o.advertIntervalCs ?? (o.version === 2 ? 100 : 10),
    addresses: o.addresses ?? [family === 4 ? VIP4 : VIP6],
    ...(o.version === 2 ? { authType: o.authType ?? 0 } : {}),
    ...(o.authPass === undefined ? {} : { authPass: o.authPass }),
    ...(o.reserved === undefined ? {} : { reserved: o.reserved }),
  };
  const msg = Buffer.from(encodeAdvert(a, { family, src, dst, ...o.encode }));
  o.mutate?.(msg);
  const ttl = o.ttl ?? 255;
  const ip =
    family === 4 ? encodeIpv4Packet({ src, dst, ttl }, msg) : encodeIpv6Packet({ src, dst, hopLimit: ttl }, msg);
  const dstMac = o.dstMac ?? (family === 4 ? '01:00:5e:00:00:12' : '33:33:00:00:00:12');
  return captured(t, ethernet(dstMac, o.srcMac ?? (who.macs[0] as string), family === 4 ? 0x0800 : 0x86dd, ip));
}

/** Adverts every `everyMs` from `fromMs` (inclusive) to `toMs` (exclusive). */
export function adverts(fromMs: number, toMs: number, everyMs: number, o: AdvertOptions = {}): CapturedFrame[] {
  const out: CapturedFrame[] = [];
  for (let t = fromMs; t < toMs; t += everyMs) out.push(advert(t, o));
  return out;
}

export function garp(t: number, o: { mac?: string; vip?: string; sender?: string } = {}): CapturedFrame {
  const mac = o.mac ?? (DUT.macs[0] as string);
  return captured(t, buildGratuitousArp({ srcMac: mac, senderMac: o.sender ?? mac, vip: o.vip ?? VIP4 }));
}

export function na(t: number, o: { mac?: string; vip?: string; router?: boolean } = {}): CapturedFrame {
  return captured(
    t,
    buildUnsolicitedNa({
      srcMac: o.mac ?? (DUT.macs[0] as string),
      srcIp: 'fe80::1',
      vip: o.vip ?? VIP6,
      router: o.router ?? true,
    }),
  );
}

/** An MLDv2 report from `mac` (source ::, as Linux sends while DAD runs) joining `groups`. */
export function mldReport(t: number, groups: string[], mac = DUT.macs[0] as string): CapturedFrame {
  const records = groups.map((g) => {
    const r = Buffer.alloc(20);
    r[0] = 4; // CHANGE_TO_EXCLUDE_MODE: join
    Buffer.from(parseIpv6(g)).copy(r, 4);
    return r;
  });
  const icmp = Buffer.concat([Buffer.from([143, 0, 0, 0, 0, 0, 0, groups.length]), ...records]);
  const hbh = Buffer.from([58, 0, 5, 2, 0, 0, 1, 0]); // next ICMPv6, Router Alert (MLD), PadN
  const ip = Buffer.alloc(40);
  ip[0] = 0x60;
  ip.writeUInt16BE(hbh.length + icmp.length, 4);
  ip[6] = 0; // Hop-by-Hop
  ip[7] = 1;
  Buffer.from(parseIpv6('ff02::16')).copy(ip, 24);
  return captured(t, ethernet('33:33:00:00:00:16', mac, 0x86dd, Buffer.concat([ip, hbh, icmp])));
}

/** An ARP reply for `vip` from `mac`. */
export function arpReply(t: number, vip: string, mac: string): CapturedFrame {
  const b = Buffer.alloc(28);
  b.writeUInt16BE(1, 0);
  b.writeUInt16BE(0x0800, 2);
  b[4] = 6;
  b[5] = 4;
  b.writeUInt16BE(2, 6);
  macToBytes(mac).copy(b, 8);
  Buffer.from(vip.split('.').map(Number)).copy(b, 14);
  macToBytes(PEER.macs[0] as string).copy(b, 18);
  Buffer.from([10, 0, 0, 2]).copy(b, 24);
  return captured(t, ethernet(PEER.macs[0] as string, mac, 0x0806, b));
}

export function frames(...groups: Array<CapturedFrame | CapturedFrame[]>): CapturedFrame[] {
  return groups.flat().sort((a, b) => a.wallMs - b.wallMs);
}
