import { type DecodeOptions, decodeEthernetFrame } from '../../src/protocol/index.js';
import type { ClockMap } from './clock-map.js';
import { toEthernetFrame } from './link-layer.js';
import type { PcapFile, PcapRecord } from './pcap-file.js';

/** Fields every packet event has. `tMs` is on the monotonic timeline; `wallMs` is the capture's own timestamp. */
interface PacketBase {
  tMs: number;
  wallMs: number;
  /** Record index in the capture file, to find the frame again in Wireshark. */
  frame: number;
  srcMac: string;
}

export interface AdvertEvent extends PacketBase {
  kind: 'advert';
  src: string;
  dst: string;
  ttl: number;
  vrid: number;
  priority: number;
  intervalCs: number;
  version: number;
  addresses: string[];
  /** Decoded, checksum right and no wire errors. */
  valid: boolean;
  errors: string[];
}

export interface GarpEvent extends PacketBase {
  kind: 'garp';
  sha: string;
  /** SPA (= TPA for a gratuitous ARP). */
  ip: string;
  /** 1 request (what keepalived and FRR send, quirks Q5), 2 reply. */
  op: number;
}

export interface NaEvent extends PacketBase {
  kind: 'na';
  src: string;
  dst: string;
  target: string;
  tlla: string | undefined;
  router: boolean;
  solicited: boolean;
  override: boolean;
}

/** A VRRP packet that could not be decoded at all (kept: a scenario may assert there are none). */
export interface BadVrrpEvent extends PacketBase {
  kind: 'bad-vrrp';
  error: string;
}

export type PacketEvent = AdvertEvent | GarpEvent | NaEvent | BadVrrpEvent;

export interface PacketEventOptions {
  /** Maps the capture's wall-clock timestamps to monotonic ms; without it tMs = wallMs. */
  clock?: Pick<ClockMap, 'toMono'>;
  decode?: DecodeOptions;
}

/**
 * Classify one captured record. Non-gratuitous ARP, solicited-only traffic and everything else return undefined:
 * the timeline is about VRRP behaviour, not the whole wire (the pcap keeps the rest).
 */
export function packetEvent(linktype: number, rec: PcapRecord, opts: PacketEventOptions = {}): PacketEvent | undefined {
  const frame = toEthernetFrame(linktype, rec.data);
  if (!frame) return undefined;
  const ev = decodeEthernetFrame(frame, opts.decode);
  const base = { tMs: opts.clock ? opts.clock.toMono(rec.wallMs) : rec.wallMs, wallMs: rec.wallMs, frame: rec.index };
  switch (ev.kind) {
    case 'vrrp': {
      const d = ev.decoded;
      if (!d) return { kind: 'bad-vrrp', ...base, srcMac: ev.srcMac, error: ev.error ?? 'undecodable' };
      return {
        kind: 'advert',
        ...base,
        srcMac: ev.srcMac,
        src: d.ip.src,
        dst: d.ip.dst,
        ttl: d.ip.ttl,
        vrid: d.advert.vrid,
        priority: d.advert.priority,
        intervalCs: d.advert.advertIntervalCs,
        version: d.advert.version,
        addresses: d.advert.addresses,
        valid: d.checksumValid && d.errors.length === 0,
        errors: [...d.errors],
      };
    }
    case 'arp':
      if (!ev.gratuitous) return undefined;
      return { kind: 'garp', ...base, srcMac: ev.srcMac, sha: ev.sha, ip: ev.spa, op: ev.op };
    case 'na':
      return {
        kind: 'na',
        ...base,
        srcMac: ev.srcMac,
        src: ev.src,
        dst: ev.dst,
        target: ev.target,
        tlla: ev.tlla,
        router: ev.router,
        solicited: ev.solicited,
        override: ev.override,
      };
    default:
      return undefined;
  }
}

/** Every VRRP advert, gratuitous ARP and Neighbour Advertisement in a capture, in file order. */
export function packetEvents(file: PcapFile, opts: PacketEventOptions = {}): PacketEvent[] {
  const out: PacketEvent[] = [];
  for (const rec of file.records) {
    const ev = packetEvent(file.header.linktype, rec, opts);
    if (ev) out.push(ev);
  }
  return out;
}
