/**
 * Why a received packet is not a usable advertisement, checked on the wire alone
 * (RFC 3768 §7.1, RFC 5798 §7.1, RFC 9568 §7.1 and its verified errata). The array order is the
 * order of the checks in docs/protocol.md §3, so `errors` lists the first failing check first.
 */
export const WIRE_REASONS = [
  /** TTL / Hop Limit ≠ 255 (3768 §5.2.3, 5798 §5.1.1.3, §5.1.2.3). Not applied to unicast instances (as keepalived). */
  'ttl',
  /** Version nibble is neither 2 nor 3, or a v2 message arrived over IPv6 (v2 is IPv4-only). */
  'version',
  /** Not exactly header + Count × address length (+ 8 auth bytes for v2). Also catches CARP's 36-byte packets. */
  'length',
  /** Addresses of the other family (IPv4 in an IPv6 advert or the reverse, or IPv4-mapped IPv6) (5798 §5.2.9). */
  'address-family',
  /** No accepted checksum form matches. */
  'checksum',
  /** VRID 0 is not a valid virtual router (3768 §5.3.3, 5798 §5.2.3). */
  'vrid-zero',
  /** Type ≠ 1 (3768 §5.3.2, 5798 §5.2.2). */
  'type',
  /** VRRPv3 Count IP Addrs = 0 (RFC 9568 erratum 8299: ignore). Not applied to v2: keepalived sends and accepts it. */
  'count-zero',
  /** Advertisement interval 0 (RFC 9568 erratum 8301). Applied to v2 too: a 0 s interval has no meaning there either. */
  'interval-zero',
  /** The first address of an IPv6 advert is not link-local (RFC 5798 §5.2.9, RFC 9568 erratum 8300). */
  'ipv6-first-not-link-local',
] as const;
export type WireReason = (typeof WIRE_REASONS)[number];

/**
 * Why a wire-valid advert must be dropped by one particular instance (RFC 3768 §7.1, RFC 5798 §7.1).
 */
export const INSTANCE_REASONS = [
  /** The advert's version is not the version this instance runs (no RFC 5798 §8.4 mixed mode). */
  'version-mismatch',
  /** The VRID is not this instance's. */
  'vrid-mismatch',
  /**
   * The destination does not fit the instance: a multicast advert for a unicast instance or to another group,
   * or a unicast advert for a multicast instance (keepalived: "Expected multicast packet but received unicast").
   */
  'destination',
  /** Unicast mode with check_unicast_src and the source address is not a configured peer. */
  'unicast-peer-unknown',
  /** Unicast mode with check_unicast_src: TTL / hop limit outside the peer's min_ttl..max_ttl. */
  'ttl-range',
  /** v2: Auth Type differs from the local one (3768 §7.1). */
  'auth-type',
  /** v2 Auth Type 1: the password does not match (RFC 2338 §5.3.6). */
  'auth-fail',
  /** v2: Adver Int differs from the local one — MUST discard (3768 §7.1). */
  'interval-mismatch',
  /** v2: address list differs and the sender is not the owner — MUST drop (3768 §7.1). */
  'address-list',
] as const;
export type InstanceReason = (typeof INSTANCE_REASONS)[number];

/** Things worth logging about an advert that is nevertheless processed. */
export const INSTANCE_NOTES = [
  /** The local router owns the addresses (priority 255) and still received an advert: log only (RFC 9568 erratum 8298). */
  'owner-received',
  /** Address list differs, but v3 says "do not drop" (5798 §7.1), or the v2 sender is the owner (3768 §7.1). */
  'address-list-differs',
  /** v3 Max Adver Int differs from the local one: log, do not drop; a Backup adopts it (5798 §6.4.2, 9568 §7.1). */
  'interval-differs',
] as const;
export type InstanceNote = (typeof INSTANCE_NOTES)[number];
