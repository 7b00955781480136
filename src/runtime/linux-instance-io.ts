import { addAddress, type PacketSocket, removeAddress, type VrrpSocket } from '../platform/index.js';
import { buildGratuitousArp, buildUnsolicitedNa, encodeAdvert } from '../protocol/index.js';
import type { Logger } from '../util/logger.js';
import { AdvertCache } from './advert-cache.js';
import type { InstanceSettings } from './instance-config.js';
import type { InstanceIo } from './instance-runner.js';

/**
 * InstanceIo on Linux: adverts through the shared raw VRRP socket of the interface, VIPs through rtnetlink,
 * gratuitous ARP / unsolicited NA through the interface's AF_PACKET socket.
 */
export class LinuxInstanceIo implements InstanceIo {
  /**
   * Gratuitous ARP / unsolicited NA frames never change for an instance: built once here, so the takeover
   * path only hands ready buffers to the kernel (the first GARP must follow the first advert within 1 ms).
   */
  private readonly garpFrames: Buffer[];
  private readonly adverts = new AdvertCache((priority, intervalCs, dst) => this.encode(priority, intervalCs, dst));

  constructor(
    private readonly s: InstanceSettings,
    private readonly socket: VrrpSocket,
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
    const destinations = s.unicastPeers.length > 0 ? s.unicastPeers : [s.multicastGroup];
    for (const dst of destinations) this.socket.send(this.adverts.get(priority, advertIntervalCs, dst), dst);
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
