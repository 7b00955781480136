import { type AdvertPacket, addAddress, removeAddress, type VrrpSocket } from '../platform/index.js';
import { buildGratuitousArp, buildUnsolicitedNa, encodeAdvert, isLinkLocalV6 } from '../protocol/index.js';
import { monotonicUs } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { AdvertCache } from './advert-cache.js';
import { type InstanceSettings, installedAddresses } from './instance-config.js';
import type { InstanceIo } from './instance-runner.js';
import { TickerAdverts } from './ticker-adverts.js';
import { WatchedMasterDown } from './watched-master-down.js';

/**
 * InstanceIo on Linux: adverts through the shared raw VRRP socket of the interface (set with useSocket, from
 * the instance's own source address), VIPs through rtnetlink, gratuitous ARP / unsolicited NA through the
 * interface's AF_PACKET socket.
 */
/** Where GARPs and NAs go: the interface's pacers (runtime/garp-pacer.ts), by family. */
export interface AnnounceSender {
  /** `rank`: the address's place in the instance's list (pending GARPs go in that order). */
  send(frame: Buffer, family: 4 | 6, rank: number): void;
}

/** An interface GARPs / NAs leave from: its pacers, its MAC, its link-local address (the NA source). */
export interface AnnounceDevice {
  sender: AnnounceSender;
  mac: string;
  linkLocal?: string;
}

interface AnnounceFrame {
  frame: Buffer;
  family: 4 | 6;
  sender: AnnounceSender;
}

export class LinuxInstanceIo implements InstanceIo {
  /**
   * Gratuitous ARP / unsolicited NA frames never change for an instance: built once here, so the takeover
   * path only hands ready buffers to the kernel (the first GARP must follow the first advert within 1 ms).
   */
  private readonly garpFrames: AnnounceFrame[];
  /** `garp_extra_if`: one frame per other interface (its first VIP), sent every interval while Master. */
  private readonly extraFrames: AnnounceFrame[];
  private extraNextUs: number | undefined;
  /** RFC 5798 §5.2.9: in IPv6 adverts the link-local VIP comes first, whatever the configured order. */
  private readonly advertised: string[];
  private socket: VrrpSocket | undefined;
  private readonly adverts = new AdvertCache((priority, intervalCs, dst) => this.encode(priority, intervalCs, dst));

  /**
   * `devices`: by interface name, every interface an installed address of the instance lives on (keepalived
   * announces each VIP on its own device, from that device's MAC); `garpIf` is the instance's own (its VMAC
   * with use_vmac). Addresses on a device that is missing get no GARP.
   */
  constructor(
    private readonly s: InstanceSettings,
    devices: ReadonlyMap<string, AnnounceDevice>,
    private readonly log: Logger,
  ) {
    const garpIf = s.vmac?.ifname ?? s.ifname;
    // Excluded VIPs get theirs too (keepalived), by their own family. NAs always come from the interface's
    // link-local address (RFC 4861 §7.2.4), also when the adverts leave from a global unicast_src_ip; on the
    // instance's own interface (or its VMAC) that is the instance's link-local.
    const frameFor = (v: ReturnType<typeof installedAddresses>[number]): AnnounceFrame | undefined => {
      const dev = devices.get(v.dev);
      if (!dev) return undefined;
      const naSource = v.dev === garpIf ? s.ipv6LinkLocal : dev.linkLocal;
      if (v.family === 6 && naSource === undefined) return undefined;
      const frame =
        v.family === 4
          ? buildGratuitousArp({ srcMac: dev.mac, vip: v.address })
          : buildUnsolicitedNa({ srcMac: dev.mac, srcIp: naSource!, vip: v.address, router: true });
      return { frame, family: v.family, sender: dev.sender };
    };
    const installed = installedAddresses(s);
    this.garpFrames = installed.map(frameFor).filter((f) => f !== undefined);
    // keepalived vrrp_send_vmac_update: the first address of each interface other than the instance's own —
    // its own too with vmac_xmit_base — and only VMACs unless `all` (vrrpd's only VMAC is the instance's).
    const xmitBase = s.vmac !== undefined && s.ifname !== s.vmac.ifname;
    const extra = s.garpExtra;
    const seen = new Set<string>();
    this.extraFrames = [];
    for (const v of extra ? installed : []) {
      if (seen.has(v.dev)) continue;
      seen.add(v.dev);
      const ownVmac = v.dev === s.vmac?.ifname;
      if (v.dev === garpIf && !xmitBase) continue;
      if (!ownVmac && !extra?.all) continue;
      const f = frameFor(v);
      if (f) this.extraFrames.push(f);
    }
    const addresses = s.vips.map((v) => v.address);
    this.advertised =
      s.family === 6 ? [...addresses.filter(isLinkLocalV6), ...addresses.filter((a) => !isLinkLocalV6(a))] : addresses;
    this.periodic = new TickerAdverts({
      ifname: s.ifname,
      packets: (priority, intervalCs) => this.packets(priority, intervalCs),
      socket: () => (s.garpExtra && this.extraFrames.length > 0 ? undefined : this.socket),
      onError: (e) => log.error('failed to send advert', { instance: s.name, error: e.message }),
    });
    this.masterDown = new WatchedMasterDown({ ifname: s.ifname, socket: () => this.socket });
    // Encode the first advert before the first takeover needs it.
    this.adverts.get(s.params.priority, s.params.advertIntervalCs, s.unicastPeers[0] ?? s.multicastGroup);
  }

  /** The interface's shared VRRP socket (it exists only once the runner using this io is registered). */
  useSocket(socket: VrrpSocket): void {
    this.socket = socket;
    this.periodic.socketChanged();
  }

  /** Closes the addon's ticker and watch now (the instance is gone) rather than at their finalization. */
  close(): void {
    this.periodic.close();
    this.masterDown.close();
  }

  /** One advert as it goes to each destination (unicast: one copy per peer, each with its own checksum). */
  private packets(priority: number, advertIntervalCs: number): AdvertPacket[] {
    const s = this.s;
    const unicast = s.unicastPeers.length > 0;
    const destinations = unicast ? s.unicastPeers : [s.multicastGroup];
    // The instance's own source on every packet: the v3 checksum and the peers' tie-break use it.
    const ttl = unicast ? s.unicastTtl : undefined;
    return destinations.map((dst) => ({
      payload: this.adverts.get(priority, advertIntervalCs, dst),
      dst,
      src: s.primaryAddress,
      ...(ttl !== undefined ? { ttl } : {}),
    }));
  }

  /** Steady-state adverts from the addon; garp_extra_if is checked at every advert (keepalived's grain), so
   * those instances keep theirs on the JS timer. */
  readonly periodic: TickerAdverts;

  /** A Backup's Master_Down restarted by the receive path for the Master's repeated adverts. */
  readonly masterDown: WatchedMasterDown;

  private encode(priority: number, advertIntervalCs: number, dst: string): Buffer {
    const s = this.s;
    return encodeAdvert(
      {
        version: s.params.version,
        vrid: s.params.vrid,
        priority,
        advertIntervalCs,
        addresses: this.advertised,
        authType: s.authType,
        authPass: s.authPass,
      },
      { family: s.family, src: s.primaryAddress, dst },
    );
  }

  sendAdvert(priority: number, advertIntervalCs: number): void {
    const socket = this.socket;
    if (!socket) throw new Error('no VRRP socket attached');
    for (const p of this.packets(priority, advertIntervalCs)) socket.send(p.payload, p.dst, p);
    // keepalived checks the garp_extra_if timer when a Master sends an advert: the advert interval is its grain.
    if (this.extraNextUs !== undefined && priority > 0) {
      const now = monotonicUs();
      if (now >= this.extraNextUs) {
        for (const [rank, f] of this.extraFrames.entries()) f.sender.send(f.frame, f.family, rank);
        this.extraNextUs = now + (this.s.garpExtra?.intervalUs ?? 0);
      }
    }
  }

  addVips(): void {
    if (this.s.garpExtra && this.extraFrames.length > 0) this.extraNextUs = monotonicUs() + this.s.garpExtra.intervalUs;
    const all = installedAddresses(this.s);
    // One refused address (a scope the kernel rejects, a missing dev) must not keep the others off, as in
    // keepalived, which sends one request per address and logs the failures.
    const failed: string[] = [];
    for (const v of all) {
      try {
        addAddress(v.dev, v.cidr, v.options);
      } catch (e) {
        failed.push(v.cidr);
        this.log.error('failed to add VIP', { instance: this.s.name, vip: v.cidr, error: (e as Error).message });
      }
    }
    this.log.debug('VIPs added', {
      instance: this.s.name,
      vips: all.map((v) => v.cidr).filter((c) => !failed.includes(c)),
    });
  }

  removeVips(): void {
    this.extraNextUs = undefined;
    for (const v of installedAddresses(this.s)) removeAddress(v.dev, v.cidr);
    this.log.debug('VIPs removed', { instance: this.s.name });
  }

  sendGarp(repeat: number): number {
    let sent = 0;
    for (let i = 0; i < repeat; i++) {
      for (const [rank, g] of this.garpFrames.entries()) {
        g.sender.send(g.frame, g.family, rank);
        sent++;
      }
    }
    return sent;
  }
}
