import { formatAddress, isIpv4MappedV6, isLinkLocalV6, tryParseAddress } from './addresses.js';
import { verifyVrrpChecksum } from './checksum.js';
import { V2_AUTH_DATA_LENGTH, VRRP_HEADER_LENGTH, VRRP_TTL, VRRP_TYPE_ADVERTISEMENT } from './constants.js';
import { WIRE_REASONS, type WireReason } from './reasons.js';
import type {
  ChecksumForm,
  DecodedAdvert,
  DecodeMessageResult,
  DecodeOptions,
  IpMeta,
  V3Ipv4ChecksumForm,
  VrrpVersion,
} from './types.js';

const BOTH_V3_IPV4_FORMS: readonly V3Ipv4ChecksumForm[] = ['rfc5798', 'rfc9568'];

function addressesFit(ip: IpMeta, family: 4 | 6): boolean {
  return tryParseAddress(ip.src)?.family === family && tryParseAddress(ip.dst)?.family === family;
}

/** Finds the checksum form that matches, trying accepted forms first so a packet valid under one never reads as invalid under another. */
function matchChecksum(
  msg: Uint8Array,
  version: VrrpVersion,
  ip: IpMeta,
  accepted: readonly V3Ipv4ChecksumForm[],
): { form: ChecksumForm | null; valid: boolean } {
  if (version === 2) {
    const ok = verifyVrrpChecksum(msg, 'v2');
    return { form: ok ? 'v2' : null, valid: ok };
  }
  if (ip.family === 6) {
    const ok = addressesFit(ip, 6) && verifyVrrpChecksum(msg, 'ipv6', ip.src, ip.dst);
    return { form: ok ? 'ipv6' : null, valid: ok };
  }
  const pseudoHeaderUsable = addressesFit(ip, 4);
  const order = [...accepted, ...BOTH_V3_IPV4_FORMS.filter((f) => !accepted.includes(f))];
  for (const form of order) {
    if (form === 'rfc5798' && !pseudoHeaderUsable) continue;
    if (verifyVrrpChecksum(msg, form, ip.src, ip.dst)) return { form, valid: accepted.includes(form) };
  }
  return { form: null, valid: false };
}

/**
 * Decodes a VRRP message (the IP payload) and runs every wire-level check of RFC 3768/5798/9568 §7.1 that needs
 * no local configuration. For raw IPv6 sockets, which hand over the payload only; `ip` comes from the socket's
 * ancillary data. Never throws: anything of at least 8 bytes decodes, and what is wrong with it is in `errors`.
 */
export function decodeVrrpMessage(payload: Uint8Array, ip: IpMeta, opts: DecodeOptions = {}): DecodeMessageResult {
  if (payload.length < VRRP_HEADER_LENGTH) {
    return { ok: false, reason: 'truncated', detail: `VRRP message is ${payload.length} bytes, the header alone is 8` };
  }
  const msg = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  const errors = new Set<WireReason>();
  const byte = (i: number) => msg[i] as number;

  const wireVersion = byte(0) >> 4;
  const type = byte(0) & 0x0f;
  // Unknown versions are read with the v3 layout (no auth trailer); 'version' below marks the result unusable.
  const version: VrrpVersion = wireVersion === 2 ? 2 : 3;
  const vrid = byte(1);
  const priority = byte(2);
  const count = byte(3);
  const authType = version === 2 ? byte(4) : 0;
  // v3: the top 4 bits are rsvd and MUST be ignored (RFC 5798 §5.2.6): 0xF064 is 100 cs.
  const reserved = version === 3 ? byte(4) >> 4 : 0;
  const advertIntervalCs = version === 2 ? byte(5) * 100 : ((byte(4) & 0x0f) << 8) | byte(5);
  const checksum = msg.readUInt16BE(6);

  if (ip.ttl !== VRRP_TTL) errors.add('ttl');
  if ((wireVersion !== 2 && wireVersion !== 3) || (wireVersion === 2 && ip.family === 6)) errors.add('version');

  // Exact length, as keepalived and FRR require: a longer message is as suspect as a shorter one (CARP is 36 bytes).
  const trailer = version === 2 ? V2_AUTH_DATA_LENGTH : 0;
  const ownSize = ip.family === 6 ? 16 : 4;
  const otherSize = ip.family === 6 ? 4 : 16;
  let addressSize = ownSize;
  if (msg.length !== VRRP_HEADER_LENGTH + count * ownSize + trailer) {
    if (count > 0 && msg.length === VRRP_HEADER_LENGTH + count * otherSize + trailer) {
      errors.add('address-family');
      addressSize = otherSize;
    } else {
      errors.add('length');
    }
  }
  const present = Math.min(count, Math.floor((msg.length - VRRP_HEADER_LENGTH) / addressSize));
  const addresses: string[] = [];
  for (let i = 0; i < present; i++) {
    const bytes = msg.subarray(VRRP_HEADER_LENGTH + i * addressSize, VRRP_HEADER_LENGTH + (i + 1) * addressSize);
    if (isIpv4MappedV6(bytes)) errors.add('address-family');
    addresses.push(formatAddress(bytes));
  }
  const afterAddresses = VRRP_HEADER_LENGTH + present * addressSize;
  const authData =
    version === 2 ? Buffer.from(msg.subarray(afterAddresses, afterAddresses + V2_AUTH_DATA_LENGTH)) : Buffer.alloc(0);

  const { form, valid } = matchChecksum(msg, version, ip, opts.acceptedV3Ipv4Forms ?? BOTH_V3_IPV4_FORMS);
  if (!valid) errors.add('checksum');
  if (vrid === 0) errors.add('vrid-zero');
  if (type !== VRRP_TYPE_ADVERTISEMENT) errors.add('type');
  // Erratum 8299 is a v3 rule: a v2 instance without VIPs sends Count 0 (keepalived, and vrrpd too).
  if (count === 0 && version === 3) errors.add('count-zero');
  if (advertIntervalCs === 0) errors.add('interval-zero');
  const first = addresses[0];
  if (ip.family === 6 && addressSize === 16 && first !== undefined && !isLinkLocalV6(first)) {
    errors.add('ipv6-first-not-link-local');
  }

  const value: DecodedAdvert = {
    ip: { ...ip },
    advert: { version, type, vrid, priority, advertIntervalCs, addresses, authType, authData, reserved },
    wireVersion,
    count,
    length: msg.length,
    checksum,
    checksumValid: valid,
    checksumForm: form,
    errors: WIRE_REASONS.filter((r) => errors.has(r)),
  };
  return { ok: true, value };
}
