import { formatIpv4, formatIpv6 } from './addresses.js';
import { VRRP_IP_PROTOCOL } from './constants.js';
import { decodeVrrpMessage } from './decode-message.js';
import type { DecodeOptions, DecodePacketResult } from './types.js';

function decodeIpv4(bytes: Uint8Array, opts: DecodeOptions): DecodePacketResult {
  if (bytes.length < 20)
    return { ok: false, reason: 'truncated', detail: `IPv4 header needs 20 bytes, got ${bytes.length}` };
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const headerLength = ((bytes[0] as number) & 0x0f) * 4;
  const totalLength = view.readUInt16BE(2);
  if (headerLength < 20) return { ok: false, reason: 'not-ip', detail: `IPv4 IHL ${headerLength / 4} is below 5` };
  if (totalLength < headerLength) {
    return {
      ok: false,
      reason: 'not-ip',
      detail: `IPv4 total length ${totalLength} is below the header length ${headerLength}`,
    };
  }
  const protocol = bytes[9] as number;
  if (protocol !== VRRP_IP_PROTOCOL)
    return { ok: false, reason: 'not-vrrp', detail: `IP protocol ${protocol}, not 112` };
  // Bytes past the total length are link-layer padding (60-byte Ethernet minimum); fewer means a cut capture.
  if (bytes.length < totalLength) {
    return {
      ok: false,
      reason: 'truncated',
      detail: `IPv4 total length ${totalLength}, only ${bytes.length} bytes present`,
    };
  }
  const fragment = view.readUInt16BE(6);
  if ((fragment & 0x3fff) !== 0) {
    return { ok: false, reason: 'truncated', detail: 'IPv4 fragment: the VRRP message is not complete in this packet' };
  }
  const ip = {
    family: 4 as const,
    src: formatIpv4(bytes.subarray(12, 16)),
    dst: formatIpv4(bytes.subarray(16, 20)),
    ttl: bytes[8] as number,
  };
  return decodeVrrpMessage(bytes.subarray(headerLength, totalLength), ip, opts);
}

function decodeIpv6(bytes: Uint8Array, opts: DecodeOptions): DecodePacketResult {
  if (bytes.length < 40)
    return { ok: false, reason: 'truncated', detail: `IPv6 header needs 40 bytes, got ${bytes.length}` };
  const payloadLength = ((bytes[4] as number) << 8) | (bytes[5] as number);
  const nextHeader = bytes[6] as number;
  // Extension headers are not walked: VRRP senders (keepalived, FRR, this daemon) never add any.
  if (nextHeader !== VRRP_IP_PROTOCOL) {
    return { ok: false, reason: 'not-vrrp', detail: `IPv6 next header ${nextHeader}, not 112` };
  }
  if (bytes.length < 40 + payloadLength) {
    return {
      ok: false,
      reason: 'truncated',
      detail: `IPv6 payload length ${payloadLength}, only ${bytes.length - 40} bytes present`,
    };
  }
  const ip = {
    family: 6 as const,
    src: formatIpv6(bytes.subarray(8, 24)),
    dst: formatIpv6(bytes.subarray(24, 40)),
    ttl: bytes[7] as number,
  };
  return decodeVrrpMessage(bytes.subarray(40, 40 + payloadLength), ip, opts);
}

/**
 * Decodes a whole IPv4 or IPv6 packet carrying VRRP (a raw IPv4 socket's read, or a capture without the
 * Ethernet header). Never throws: anything that is not a complete VRRP packet comes back as `ok: false`.
 */
export function decodeIpPacket(bytes: Uint8Array, opts: DecodeOptions = {}): DecodePacketResult {
  if (bytes.length === 0) return { ok: false, reason: 'truncated', detail: 'empty packet' };
  const ipVersion = (bytes[0] as number) >> 4;
  if (ipVersion === 4) return decodeIpv4(bytes, opts);
  if (ipVersion === 6) return decodeIpv6(bytes, opts);
  return { ok: false, reason: 'not-ip', detail: `IP version nibble ${ipVersion}` };
}
