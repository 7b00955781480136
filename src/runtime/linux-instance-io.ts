import { addAddress, type PacketSocket, removeAddress, type VrrpSocket } from '../platform/index.js';
import { buildGratuitousArp, buildUnsolicitedNa, encodeAdvert } from '../protocol/index.js';
import type { Logger } from '../util/logger.js';
import { AdvertCache } from './advert-cache.js';
import type { InstanceSettings } from './instance-config.js';
import type { InstanceIo } from './instance-runner.js';

/**
 * InstanceIo on Linux: adverts through the shared raw VRRP socket of the interface (set with useSocket, from
 * the instance's own source address), VIPs through rtnetlink, gratuitous ARP / unsolicited NA through the
 * interface's AF_PACKET socket.
 */
export class LinuxInstanceIo implements InstanceIo {
  /**
   * Gratuitous ARP / unsolicited NA frames never change for an instance: built once here, so the takeover
   * path only hands ready buffers to the kernel (the first GARP must follow the first advert within 1 ms).
   */
  private readonly garpFrames: Buffer[];
  private socket: VrrpSocket | undefined;
  private readonly adverts = new AdvertCache((priority, intervalCs, dst) => this.encode(priority, intervalCs, dst));

  constructor(
    private readonly s: InstanceSettings,
    private readonly packets: PacketSocket,
    mac: string,
    private readonly log: Logger,
  ) {
    this.garpFrames = s.vips.map((v) =>
      s.family === 4
        ? buildGratuitousArp({ srcMac: mac, vip: v.address })
        : buildUnsolicitedNa({ srcMac: mac, srcIp: s.primaryAddress, vip: v.address, router: true }),
    );
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
        addresses: s.vips.map((v) => v.address),
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
    for (const v of this.s.vips) {
      // IPv6 VIPs without DAD: otherwise each takeover loses ~1 s with a tentative address (vrrp-protocol.md §4).
      addAddress(v.dev, v.cidr, { noDad: this.s.family === 6 });
    }
    this.log.debug('VIPs added', { instance: this.s.name, vips: this.s.vips.map((v) => v.cidr) });
  }

  removeVips(): void {
    for (const v of this.s.vips) removeAddress(v.dev, v.cidr);
    this.log.debug('VIPs removed', { instance: this.s.name });
  }

  sendGarp(repeat: number): number {
    let sent = 0;
    for (let i = 0; i < repeat; i++) {
      for (const frame of this.garpFrames) {
        this.packets.send(frame);
        sent++;
      }
    }
    return sent;
  }
}
