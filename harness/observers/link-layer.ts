import { LINKTYPE_EN10MB, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2 } from './pcap-file.js';

/**
 * Turn a captured record into an Ethernet frame for the protocol decoder. Bridge captures are EN10MB already;
 * "any"-interface captures are Linux cooked (SLL/SLL2), which keep the source MAC but not the destination, so
 * the destination is rebuilt from the packet type (broadcast) or the IP destination (multicast).
 * Returns undefined for link types and link-layer families that cannot be expressed as Ethernet.
 */
export function toEthernetFrame(linktype: number, data: Uint8Array): Uint8Array | undefined {
  if (linktype === LINKTYPE_EN10MB) return data;
  let pkttype: number;
  let hatype: number;
  let halen: number;
  let addrOff: number;
  let proto: number;
  let hdr: number;
  if (linktype === LINKTYPE_LINUX_SLL2) {
    if (data.length < 20) return undefined;
    proto = (data[0]! << 8) | data[1]!;
    hatype = (data[8]! << 8) | data[9]!;
    pkttype = data[10]!;
    halen = data[11]!;
    addrOff = 12;
    hdr = 20;
  } else if (linktype === LINKTYPE_LINUX_SLL) {
    if (data.length < 16) return undefined;
    pkttype = (data[0]! << 8) | data[1]!;
    hatype = (data[2]! << 8) | data[3]!;
    halen = (data[4]! << 8) | data[5]!;
    addrOff = 6;
    proto = (data[14]! << 8) | data[15]!;
    hdr = 16;
  } else {
    return undefined;
  }
  // ARPHRD_ETHER = 1; anything else (loopback, tunnels) has no MAC to speak of.
  if (hatype !== 1 || halen !== 6) return undefined;
  const payload = data.subarray(hdr);
  const frame = new Uint8Array(14 + payload.length);
  frame.set(destinationMac(pkttype, proto, payload), 0);
  frame.set(data.subarray(addrOff, addrOff + 6), 6);
  frame[12] = proto >> 8;
  frame[13] = proto & 0xff;
  frame.set(payload, 14);
  return frame;
}

// PACKET_BROADCAST = 1, PACKET_MULTICAST = 2 (linux/if_packet.h).
function destinationMac(pkttype: number, proto: number, p: Uint8Array): Uint8Array {
  if (pkttype === 1) return new Uint8Array(6).fill(0xff);
  if (proto === 0x0800 && p.length >= 20 && p[16]! >= 224 && p[16]! <= 239) {
    return Uint8Array.of(0x01, 0x00, 0x5e, p[17]! & 0x7f, p[18]!, p[19]!);
  }
  if (proto === 0x86dd && p.length >= 40 && p[24] === 0xff) {
    return Uint8Array.of(0x33, 0x33, p[36]!, p[37]!, p[38]!, p[39]!);
  }
  return new Uint8Array(6);
}
