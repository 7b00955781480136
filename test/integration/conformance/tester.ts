import { join } from 'node:path';
import { vrrpdCliPath, vrrpdFiles } from '../../../harness/adapters/vrrpd.js';
import type { Lab, LabHost } from '../../../harness/lab/index.js';
import { waitFor } from '../../../harness/lab/index.js';
import { Capture } from '../../../harness/observers/capture.js';
import { toEthernetFrame } from '../../../harness/observers/link-layer.js';
import type { PcapRecord } from '../../../harness/observers/pcap-file.js';
import { run } from '../../../harness/platform/run.js';
import { withNetns } from '../../../src/platform/netns.js';
import { PacketSocket } from '../../../src/platform/packet-socket.js';
import {
  type AdvertInput,
  type ChecksumForm,
  computeVrrpChecksum,
  decodeEthernetFrame,
  type EncodeOptions,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  encodeAdvert,
  encodeIpv4Packet,
  encodeIpv6Packet,
  type FrameEvent,
  macToBytes,
  VRRP_MULTICAST_V4,
  VRRP_MULTICAST_V6,
} from '../../../src/protocol/index.js';
import { queryControlSocket } from '../../../src/runtime/control-server.js';
import type { DaemonStatus, InstanceStatus } from '../../../src/runtime/status.js';

/**
 * The conformance "test station" (implementations.md §4): a host on the DUT's switch that injects crafted
 * VRRP packets as whole Ethernet frames (AF_PACKET, opened inside the tester netns), so every field — TTL, hop
 * limit, checksum, version, length — can be wrong on purpose; plus readers for the DUT's status and for a
 * capture on the switch bridge.
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

  send(frame: Buffer): void {
    this.socket.send(frame);
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

// ---- DUT status ----

/** The DUT's status straight from its control socket (fast enough to poll). */
export async function dutStatus(host: LabHost): Promise<DaemonStatus> {
  return (await queryControlSocket(vrrpdFiles(host.adapterHost()).socket, 'status')) as DaemonStatus;
}

/** The same document through the CLI a user would run: `vrrpd status --json --control-socket PATH`. */
export async function dutStatusCli(host: LabHost): Promise<DaemonStatus> {
  const { stdout } = await host.exec(process.execPath, [
    vrrpdCliPath(),
    'status',
    '--json',
    '--control-socket',
    vrrpdFiles(host.adapterHost()).socket,
  ]);
  return JSON.parse(stdout) as DaemonStatus;
}

export function instanceOf(s: DaemonStatus, name: string): InstanceStatus {
  const i = s.instances.find((x) => x.name === name);
  if (!i) throw new Error(`DUT has no instance ${name} (has ${s.instances.map((x) => x.name).join(', ')})`);
  return i;
}

/** A drop counter: on the instance when `instance` is given, else the daemon-wide (unmatched packets) one. */
export function dropCount(s: DaemonStatus, reason: string, instance?: string): number {
  const drops = instance === undefined ? s.drops : instanceOf(s, instance).counters.drops;
  return drops[reason] ?? 0;
}

/** Every drop the daemon counted, daemon-wide and on every instance. */
export function totalDrops(s: DaemonStatus): number {
  const sum = (d: Record<string, number>) => Object.values(d).reduce((a, b) => a + b, 0);
  return sum(s.drops) + s.instances.reduce((n, i) => n + sum(i.counters.drops), 0);
}

export async function waitInstanceState(
  host: LabHost,
  instance: string,
  state: InstanceStatus['state'],
  timeoutMs = 10_000,
): Promise<DaemonStatus> {
  return waitFor(() => dutStatus(host), {
    description: `${host.name} ${instance} ${state}`,
    timeoutMs,
    intervalMs: 10,
    until: (s) => instanceOf(s, instance).state === state,
  });
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
