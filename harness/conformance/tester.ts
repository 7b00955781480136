import { join } from 'node:path';
import { withNetns } from '../../src/platform/netns.js';
import { PacketSocket } from '../../src/platform/packet-socket.js';
import {
  type AdvertInput,
  type ChecksumForm,
  computeVrrpChecksum,
  decodeEthernetFrame,
  type EncodeOptions,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  encodeAdvert,
  encodeIpv4Packet,
  encodeIpv6Packet,
  type FrameEvent,
  internetChecksum,
  ipv6PseudoHeader,
  macToBytes,
  parseIpv4,
  parseIpv6,
  solicitedNodeGroup,
  VRRP_MULTICAST_V4,
  VRRP_MULTICAST_V6,
} from '../../src/protocol/index.js';
import type { Lab } from '../lab/index.js';
import { waitFor } from '../lab/wait-for.js';
import { Capture } from '../observers/capture.js';
import { toEthernetFrame } from '../observers/link-layer.js';
import type { PcapRecord } from '../observers/pcap-file.js';
import { run } from '../platform/run.js';

/**
 * The conformance "test station": a host on the DUT's switch that injects crafted
 * VRRP packets as whole Ethernet frames (AF_PACKET, opened inside the tester netns), so every field — TTL, hop
 * limit, checksum, version, length — can be wrong on purpose; plus readers for a capture on the switch bridge.
 * Nothing here asks the implementation under test anything: what it does is read off the wire.
 */

/** Ethernet multicast MACs of 224.0.0.18 (RFC 1112 §6.4) and ff02::12 (RFC 2464 §7). */
export const VRRP_GROUP_MAC = { 4: '01:00:5e:00:00:12', 6: '33:33:00:00:00:12' } as const;

export interface Ipv4FrameOptions {
  ttl?: number;
  src?: string;
  dst?: string;
  protocol?: number;
  dstMac?: string;
}

export interface Ipv6FrameOptions {
  hopLimit?: number;
  src?: string;
  dst?: string;
  nextHeader?: number;
  dstMac?: string;
}

/** Interface facts read with `ip -j addr` in a namespace. */
export async function interfaceFacts(
  netns: string,
  ifname: string,
): Promise<{ mac: string; ipv4: string[]; linkLocal: string | undefined; linkLocalTentative: boolean }> {
  const { stdout } = await run('ip', ['-j', 'addr', 'show', 'dev', ifname], { netns });
  const [link] = JSON.parse(stdout) as Array<{
    address: string;
    addr_info?: Array<{ family: string; local: string; scope: string; tentative?: boolean }>;
  }>;
  if (!link) throw new Error(`no interface ${ifname} in ${netns}`);
  const info = link.addr_info ?? [];
  const ll = info.find((a) => a.family === 'inet6' && a.scope === 'link');
  return {
    mac: link.address,
    ipv4: info.filter((a) => a.family === 'inet').map((a) => a.local),
    linkLocal: ll?.local,
    linkLocalTentative: ll === undefined || ll.tentative === true,
  };
}

/** Waits until the interface's IPv6 link-local has passed DAD (a tentative source cannot send). */
export async function waitLinkLocalReady(netns: string, ifname: string, timeoutMs = 10_000): Promise<string> {
  const facts = await waitFor(() => interfaceFacts(netns, ifname), {
    description: `${netns}/${ifname} link-local past DAD`,
    timeoutMs,
    intervalMs: 50,
    until: (f) => !f.linkLocalTentative,
  });
  return facts.linkLocal as string;
}

/** fe80::/64 + modified EUI-64 of the MAC: what the kernel gives the interface (addr_gen_mode eui64). */
export function eui64LinkLocal(mac: string): string {
  const b = macToBytes(mac);
  const w = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
  return `fe80::${w((b[0] as number) ^ 0x02, b[1] as number)}:${w(b[2] as number, 0xff)}:${w(0xfe, b[3] as number)}:${w(b[4] as number, b[5] as number)}`;
}

export class Tester {
  private constructor(
    readonly netns: string,
    readonly ifname: string,
    readonly mac: string,
    readonly ipv4: string,
    readonly linkLocal: string,
    private readonly socket: PacketSocket,
  ) {}

  /** Opens the AF_PACKET socket inside the tester's namespace (the socket keeps that namespace). */
  static async open(netns: string, ifname = 'eth0'): Promise<Tester> {
    const facts = await interfaceFacts(netns, ifname);
    const ipv4 = facts.ipv4[0];
    if (ipv4 === undefined) throw new Error(`tester ${netns}/${ifname} has no IPv4 address`);
    const socket = withNetns(netns, () => PacketSocket.open(ifname));
    return new Tester(netns, ifname, facts.mac, ipv4, facts.linkLocal ?? eui64LinkLocal(facts.mac), socket);
  }

  /** A VRRP message from this tester: IPv4 source = its address, destination 224.0.0.18 unless given. */
  advert4(a: AdvertInput, opts: Partial<EncodeOptions> = {}): Buffer {
    return encodeAdvert(a, { family: 4, src: this.ipv4, dst: VRRP_MULTICAST_V4, ...opts });
  }

  /** A VRRP message from this tester over IPv6: source = its link-local, destination ff02::12. */
  advert6(a: AdvertInput, opts: Partial<EncodeOptions> = {}): Buffer {
    return encodeAdvert(a, { family: 6, src: this.linkLocal, dst: VRRP_MULTICAST_V6, ...opts });
  }

  /** Ethernet + IPv4 (header checksum right, TTL 255 unless given) around any payload. */
  frame4(payload: Uint8Array, o: Ipv4FrameOptions = {}): Buffer {
    const ip = encodeIpv4Packet(
      {
        src: o.src ?? this.ipv4,
        dst: o.dst ?? VRRP_MULTICAST_V4,
        ttl: o.ttl ?? 255,
        ...(o.protocol === undefined ? {} : { protocol: o.protocol }),
      },
      payload,
    );
    return ethernet(o.dstMac ?? VRRP_GROUP_MAC[4], this.mac, ETHERTYPE_IPV4, ip);
  }

  /** Ethernet + IPv6 (hop limit 255 unless given) around any payload. */
  frame6(payload: Uint8Array, o: Ipv6FrameOptions = {}): Buffer {
    const ip = encodeIpv6Packet(
      {
        src: o.src ?? this.linkLocal,
        dst: o.dst ?? VRRP_MULTICAST_V6,
        hopLimit: o.hopLimit ?? 255,
        ...(o.nextHeader === undefined ? {} : { nextHeader: o.nextHeader }),
      },
      payload,
    );
    return ethernet(o.dstMac ?? VRRP_GROUP_MAC[6], this.mac, ETHERTYPE_IPV6, ip);
  }

  /** An ARP request "who has `target`, tell <tester>" (RFC 826), broadcast. */
  arpRequest(target: string): Buffer {
    const body = Buffer.alloc(28);
    body.writeUInt16BE(1, 0); // Ethernet
    body.writeUInt16BE(ETHERTYPE_IPV4, 2);
    body[4] = 6;
    body[5] = 4;
    body.writeUInt16BE(1, 6); // request
    macToBytes(this.mac).copy(body, 8);
    Buffer.from(parseIpv4(this.ipv4)).copy(body, 14);
    Buffer.from(parseIpv4(target)).copy(body, 24);
    return ethernet('ff:ff:ff:ff:ff:ff', this.mac, ETHERTYPE_ARP, body);
  }

  /**
   * A Neighbor Solicitation for `target` (RFC 4861 §4.3) from the tester's link-local, to the target's
   * solicited-node group, with a Source Link-Layer Address option so the answer can be unicast back.
   */
  neighborSolicitation(target: string): Buffer {
    const group = solicitedNodeGroup(target);
    const icmp = Buffer.alloc(32);
    icmp[0] = 135;
    Buffer.from(parseIpv6(target)).copy(icmp, 8);
    icmp[24] = 1; // Source Link-Layer Address
    icmp[25] = 1; // length in 8-byte units
    macToBytes(this.mac).copy(icmp, 26);
    icmp.writeUInt16BE(internetChecksum(ipv6PseudoHeader(this.linkLocal, group, icmp.length, 58), icmp), 2);
    const g = parseIpv6(group);
    const groupMac = `33:33:${[...g.subarray(12)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    return this.frame6(icmp, { dst: group, nextHeader: 58, dstMac: groupMac });
  }

  /** An ICMP echo request to `dst`, sent to `dstMac` (the Master's MAC: the tester holds no ARP entry). */
  echoRequest4(dst: string, dstMac: string, id: number, seq = 1): Buffer {
    const icmp = Buffer.alloc(16);
    icmp[0] = 8;
    icmp.writeUInt16BE(id, 4);
    icmp.writeUInt16BE(seq, 6);
    icmp.write('vrrp-lab', 8, 'latin1');
    icmp.writeUInt16BE(internetChecksum(icmp), 2);
    return this.frame4(icmp, { dst, protocol: 1, ttl: 64, dstMac });
  }

  send(frame: Buffer): void {
    this.socket.send(frame);
  }

  /** Sends `next()` now and every `intervalMs` until the returned function is called. */
  every(intervalMs: number, next: () => Buffer): () => void {
    this.send(next());
    const timer = setInterval(() => this.send(next()), intervalMs);
    return () => clearInterval(timer);
  }

  close(): void {
    this.socket.close();
  }
}

function ethernet(dstMac: string, srcMac: string, etherType: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(14);
  macToBytes(dstMac).copy(header, 0);
  macToBytes(srcMac).copy(header, 6);
  header.writeUInt16BE(etherType, 12);
  return Buffer.concat([header, payload]);
}

/** Rewrites the checksum of a (tampered) VRRP message so that only the tampered field is wrong. */
export function withChecksum(message: Buffer, form: ChecksumForm, src = '', dst = ''): Buffer {
  const out = Buffer.from(message);
  out.writeUInt16BE(computeVrrpChecksum(out, form, src, dst), 6);
  return out;
}

// ---- capture on the switch bridge ----

export interface CapturedFrame {
  index: number;
  /** Capture timestamp, wall-clock ms with ns fraction. All comparisons stay on this one clock. */
  wallMs: number;
  data: Buffer;
  ev: FrameEvent;
}

/** A capture of everything on the lab's single switch bridge. */
export async function captureSwitch(lab: Lab, name: string): Promise<Capture> {
  const bridge = Object.values(lab.plan.bridges)[0];
  if (bridge === undefined) throw new Error('lab has no switch');
  return Capture.start({
    netns: lab.switchNetns,
    iface: bridge,
    file: join(lab.dir, 'captures', `${name}.pcap`),
    runId: lab.runId,
  });
}

function toFrame(linktype: number, r: PcapRecord): CapturedFrame | undefined {
  const frame = toEthernetFrame(linktype, r.data);
  if (!frame) return undefined;
  return { index: r.index, wallMs: r.wallMs, data: Buffer.from(frame), ev: decodeEthernetFrame(frame) };
}

/** Every frame captured so far (after making tcpdump write what the kernel gave it). */
export async function capturedFrames(cap: Capture): Promise<CapturedFrame[]> {
  await cap.flush();
  const file = await cap.read();
  return file.records.flatMap((r) => toFrame(file.header.linktype, r) ?? []);
}

/** Whether a captured frame is `sent` (a short frame may come back padded to 60 bytes). */
export function isFrame(captured: Uint8Array, sent: Uint8Array): boolean {
  return captured.length >= sent.length && Buffer.from(captured.subarray(0, sent.length)).equals(sent);
}

/** Waits for `sent` to show up on the bridge; returns its capture time. */
export async function waitCaptured(cap: Capture, sent: Uint8Array, timeoutMs = 3000): Promise<number> {
  const r = await cap.waitForRecord((rec) => isFrame(rec.data, sent), timeoutMs, 'injected frame on the bridge');
  return r.wallMs;
}

/** A VRRP advert sent by `mac` for `vrid` (decoded), as captured. */
export function isAdvertFrom(f: CapturedFrame, mac: string, vrid: number, family?: 4 | 6): boolean {
  return (
    f.ev.kind === 'vrrp' &&
    f.ev.srcMac === mac &&
    f.ev.decoded !== null &&
    f.ev.decoded.advert.vrid === vrid &&
    (family === undefined || f.ev.decoded.ip.family === family)
  );
}

/** The VRRP message bytes of a captured IPv4 or IPv6 VRRP frame (no VLAN tags on the lab bridge). */
export function vrrpMessage(f: CapturedFrame): Buffer {
  const etherType = f.data.readUInt16BE(12);
  if (etherType === ETHERTYPE_IPV4) {
    const ihl = ((f.data[14] as number) & 0x0f) * 4;
    const total = f.data.readUInt16BE(16);
    return f.data.subarray(14 + ihl, 14 + total);
  }
  const payloadLength = f.data.readUInt16BE(18);
  return f.data.subarray(54, 54 + payloadLength);
}

/** The raw IP header bytes of a captured frame. */
export function ipHeader(f: CapturedFrame): Buffer {
  const etherType = f.data.readUInt16BE(12);
  if (etherType === ETHERTYPE_IPV4) return f.data.subarray(14, 14 + ((f.data[14] as number) & 0x0f) * 4);
  return f.data.subarray(14, 54);
}
