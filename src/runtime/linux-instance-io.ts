import { addAddress, type PacketSocket, removeAddress, type VrrpSocket } from '../platform/index.js';
import { buildGratuitousArp, buildUnsolicitedNa, encodeAdvert } from '../protocol/index.js';
import type { Logger } from '../util/logger.js';
import type { InstanceSettings } from './instance-config.js';
import type { InstanceIo } from './instance-runner.js';

/**
 * InstanceIo on Linux: adverts through the shared raw VRRP socket of the interface, VIPs through rtnetlink,
 * gratuitous ARP / unsolicited NA through the interface's AF_PACKET socket.
 */
export class LinuxInstanceIo implements InstanceIo {
  constructor(
    private readonly s: InstanceSettings,
    private readonly socket: VrrpSocket,
    private readonly packets: PacketSocket,
    private readonly mac: string,
    private readonly log: Logger,
  ) {}

  sendAdvert(priority: number, advertIntervalCs: number): void {
    const s = this.s;
    // Unicast: one copy per peer, each with its own checksum (the v3 pseudo-header holds the real destination).
    const destinations = s.unicastPeers.length > 0 ? s.unicastPeers : [s.multicastGroup];
    for (const dst of destinations) {
      const payload = encodeAdvert(
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
      this.socket.send(payload, dst);
    }
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
      for (const v of this.s.vips) {
        const frame =
          this.s.family === 4
            ? buildGratuitousArp({ srcMac: this.mac, vip: v.address })
            : buildUnsolicitedNa({ srcMac: this.mac, srcIp: this.s.primaryAddress, vip: v.address, router: true });
        this.packets.send(frame);
        sent++;
      }
    }
    return sent;
  }
}
