import { addAddress, removeAddress, type VrrpSocket } from '../platform/index.js';
import { buildGratuitousArp, buildUnsolicitedNa, encodeAdvert, isLinkLocalV6 } from '../protocol/index.js';
import type { Logger } from '../util/logger.js';
import { AdvertCache } from './advert-cache.js';
import { type InstanceSettings, installedAddresses } from './instance-config.js';
import type { InstanceIo } from './instance-runner.js';

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

export class LinuxInstanceIo implements InstanceIo {
  /**
   * Gratuitous ARP / unsolicited NA frames never change for an instance: built once here, so the takeover
   * path only hands ready buffers to the kernel (the first GARP must follow the first advert within 1 ms).
   */
  private readonly garpFrames: { frame: Buffer; family: 4 | 6 }[];
  /** RFC 5798 §5.2.9: in IPv6 adverts the link-local VIP comes first, whatever the configured order. */
  private readonly advertised: string[];
  private socket: VrrpSocket | undefined;
  private readonly adverts = new AdvertCache((priority, intervalCs, dst) => this.encode(priority, intervalCs, dst));

  constructor(
    private readonly s: InstanceSettings,
    private readonly packets: AnnounceSender,
    mac: string,
    private readonly log: Logger,
  ) {
    // Excluded VIPs get theirs too (keepalived), by their own family; only those on the interface the AF_PACKET
    // socket is bound to (the VMAC with use_vmac, also with vmac_xmit_base; else the instance's interface). NAs always come from the interface's link-local address
    // (RFC 4861 §7.2.4), also when the adverts leave from a global unicast_src_ip.
    const naSource = s.ipv6LinkLocal;
    this.garpFrames = installedAddresses(s)
      .filter((v) => v.dev === (s.vmac?.ifname ?? s.ifname) && (v.family === 4 || naSource !== undefined))
      .map((v) => ({
        family: v.family,
        frame:
          v.family === 4
            ? buildGratuitousArp({ srcMac: mac, vip: v.address })
            : buildUnsolicitedNa({ srcMac: mac, srcIp: naSource!, vip: v.address, router: true }),
      }));
    const addresses = s.vips.map((v) => v.address);
    this.advertised =
      s.family === 6 ? [...addresses.filter(isLinkLocalV6), ...addresses.filter((a) => !isLinkLocalV6(a))] : addresses;
    // Encode the first advert before the first takeover needs it.
    this.adverts.get(s.params.priority, s.params.advertIntervalCs, s.unicastPeers[0] ?? s.multicastGroup);
  }

  /** The interface's shared VRRP socket (it exists only once the runner using this io is registered). */
  useSocket(socket: VrrpSocket): void {
    this.socket = socket;
  }

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
    const s = this.s;
    // Unicast: one copy per peer, each with its own checksum (the v3 pseudo-header holds the real destination).
    const socket = this.socket;
    if (!socket) throw new Error('no VRRP socket attached');
    const unicast = s.unicastPeers.length > 0;
    const destinations = unicast ? s.unicastPeers : [s.multicastGroup];
    // The instance's own source on every packet: the v3 checksum and the peers' tie-break use it.
    const opts = { src: s.primaryAddress, ...(unicast ? { ttl: s.unicastTtl } : {}) };
    for (const dst of destinations) socket.send(this.adverts.get(priority, advertIntervalCs, dst), dst, opts);
  }

  addVips(): void {
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
    for (const v of installedAddresses(this.s)) removeAddress(v.dev, v.cidr);
    this.log.debug('VIPs removed', { instance: this.s.name });
  }

  sendGarp(repeat: number): number {
    let sent = 0;
    for (let i = 0; i < repeat; i++) {
      for (const [rank, g] of this.garpFrames.entries()) {
        this.packets.send(g.frame, g.family, rank);
        sent++;
      }
    }
    return sent;
  }
}
