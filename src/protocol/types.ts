import type { WireReason } from './reasons.js';

export type Family = 4 | 6;
export type VrrpVersion = 2 | 3;
/** How a VRRPv3-over-IPv4 checksum is computed: with the IPv4 pseudo-header (RFC 5798, what keepalived and FRR send) or over the message only (RFC 9568 §5.2.8). */
export type V3Ipv4ChecksumForm = 'rfc5798' | 'rfc9568';
/** Every checksum computation the protocol has: v2 message-only, the two v3 IPv4 forms, v3 IPv6 with the RFC 8200 §8.1 pseudo-header. */
export type ChecksumForm = 'v2' | V3Ipv4ChecksumForm | 'ipv6';

export interface Advert {
  version: VrrpVersion;
  type: number;
  vrid: number;
  priority: number;
  /** v2: Adver Int seconds × 100; v3: the 12-bit Max Adver Int in centiseconds. */
  advertIntervalCs: number;
  /** Canonical text; IPv6 in RFC 5952 form. */
  addresses: string[];
  /** v2 only; 0 for v3. */
  authType: number;
  /** v2 only: the 8 Authentication Data bytes (fewer if the message was cut short); empty for v3. */
  authData: Buffer;
  /** v3: top 4 bits of the interval word; sent as 0, ignored on receive (RFC 5798 §5.2.6). 0 for v2. */
  reserved: number;
}

/** What `encodeAdvert` needs; fields with an obvious default may be left out. */
export interface AdvertInput {
  version: VrrpVersion;
  /** Default 1 (ADVERTISEMENT). */
  type?: number;
  vrid: number;
  priority: number;
  advertIntervalCs: number;
  addresses: string[];
  /** v2 only. Default: 1 (PASS) if `authPass` is given, else 0. */
  authType?: number;
  /** v2 only: at most 8 bytes, zero-padded to 8. Wins over `authPass`. */
  authData?: Uint8Array;
  /** v2 PASS password: its first 8 UTF-8 bytes, zero-padded (RFC 2338 §5.3.6; keepalived uses only 8 characters too). */
  authPass?: string;
  /** v3 only, 0..15. Default 0 (RFC 5798 §5.2.6); set it only to craft test packets. */
  reserved?: number;
}

export interface IpMeta {
  family: Family;
  src: string;
  dst: string;
  /** TTL (IPv4) or Hop Limit (IPv6). */
  ttl: number;
}

export interface DecodedAdvert {
  ip: IpMeta;
  /**
   * The message's fields. When the version nibble is neither 2 nor 3 (`errors` has 'version'), the message
   * is read with the v3 layout and `advert.version` is 3; `wireVersion` has the real nibble.
   */
  advert: Advert;
  /** The version nibble exactly as received (0..15). */
  wireVersion: number;
  /** Count IP Addrs as received; more than `advert.addresses.length` when the message is cut short. */
  count: number;
  /** Length of the VRRP message in bytes. */
  length: number;
  /** The checksum field as received. */
  checksum: number;
  /** True when a checksum form that applies and is accepted matches. */
  checksumValid: boolean;
  /**
   * The form whose computation matches the received field, or null if none does. For v3 over IPv4 this
   * names a matching form even when the caller did not accept it (then `checksumValid` is false), so a
   * log can say "RFC 9568 checksum, not accepted" instead of just "bad checksum".
   */
  checksumForm: ChecksumForm | null;
  /** Empty ⇒ valid on the wire. In the order of `WIRE_REASONS`. */
  errors: WireReason[];
}

export interface DecodeOptions {
  /** v3 over IPv4 checksum forms to accept. Default both; keepalived 2.2.7 and FRR 8.4.4 accept only 'rfc5798'. */
  acceptedV3Ipv4Forms?: readonly V3Ipv4ChecksumForm[];
}

export type DecodeMessageResult =
  | { ok: true; value: DecodedAdvert }
  | { ok: false; reason: 'truncated'; detail: string };

export type DecodePacketResult =
  | { ok: true; value: DecodedAdvert }
  | { ok: false; reason: 'not-ip' | 'not-vrrp' | 'truncated'; detail: string };
