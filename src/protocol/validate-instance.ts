import { canonicalAddress, isMulticastAddress, tryParseAddress } from './addresses.js';
import { AUTH_PASS } from './constants.js';
import { authDataFromPassword } from './encode-advert.js';
import type { InstanceNote, InstanceReason } from './reasons.js';
import type { DecodedAdvert, VrrpVersion } from './types.js';

export interface LocalInstanceView {
  version: VrrpVersion;
  vrid: number;
  advertIntervalCs: number;
  /** v2 Auth Type (0 none, 1 PASS). Ignored for v3. */
  authType: number;
  authPass?: string;
  /** The instance's VIPs; a "/prefix" suffix is ignored. */
  addresses: string[];
  /** Priority 255: the local router owns the addresses. */
  isOwner: boolean;
  /** Set and non-empty = unicast mode. */
  unicastPeers?: readonly string[];
  /**
   * Unicast mode only (keepalived's `check_unicast_src`, off by default): drop adverts whose source is not a
   * peer, and those whose TTL / hop limit is outside the peer's `min_ttl`..`max_ttl` (`peerTtl`, by address).
   */
  checkUnicastSrc?: boolean;
  /** Multicast mode: the group this instance sends to and listens on (default: no destination check). */
  multicastGroup?: string;
  peerTtl?: Readonly<Record<string, { min: number; max: number }>>;
  /**
   * keepalived's `skip_check_adv_addr`, decided by the caller: the advert comes from the Master this Backup last
   * heard, so its address list and unicast source / TTL range are not checked again.
   */
  skipAddressChecks?: boolean;
}

export interface InstanceVerdict {
  /** Non-empty ⇒ drop the advert. */
  drop: InstanceReason[];
  /** Log these; they do not stop processing. */
  notes: InstanceNote[];
}

function addressKey(text: string): string {
  return canonicalAddress(text.replace(/\/\d+$/, ''));
}

function sameAddressSet(received: readonly string[], local: readonly string[]): boolean {
  // Order-insensitive: keepalived and FRR both compare membership, and RFC 3768 §7.1 speaks of "the list".
  const want = new Set(local.map(addressKey));
  const got = new Set(received.map((a) => (tryParseAddress(a) ? addressKey(a) : a)));
  return received.length === local.length && want.size === got.size && [...want].every((a) => got.has(a));
}

/**
 * The checks of RFC 3768/5798 §7.1 that need the receiving instance's configuration. Call it only for adverts whose
 * `errors` is empty. When the version or the VRID differs the advert belongs to another virtual router and the
 * remaining checks (against this router's settings) are skipped.
 */
export function validateForInstance(d: DecodedAdvert, local: LocalInstanceView): InstanceVerdict {
  const drop: InstanceReason[] = [];
  const notes: InstanceNote[] = [];
  const a = d.advert;
  if (a.version !== local.version) drop.push('version-mismatch');
  if (a.vrid !== local.vrid) drop.push('vrid-mismatch');
  if (drop.length > 0) return { drop, notes };

  // Erratum 8298 to RFC 9568: the owner only logs; RFC 5798 §7.1 had it discard.
  if (local.isOwner) notes.push('owner-received');

  const peers = local.unicastPeers ?? [];
  const dst = tryParseAddress(d.ip.dst);
  if (dst) {
    // keepalived: "Expected multicast packet but received unicast packet" (and the reverse).
    const wrongKind = isMulticastAddress(dst.bytes) !== (peers.length === 0);
    const wrongGroup =
      peers.length === 0 &&
      local.multicastGroup !== undefined &&
      addressKey(local.multicastGroup) !== addressKey(d.ip.dst);
    if (wrongKind || wrongGroup) drop.push('destination');
  }
  if (peers.length > 0 && local.checkUnicastSrc && !local.skipAddressChecks) {
    const src = tryParseAddress(d.ip.src) ? addressKey(d.ip.src) : d.ip.src;
    const peer = peers.find((p) => addressKey(p) === src);
    if (peer === undefined) drop.push('unicast-peer-unknown');
    else {
      const range = local.peerTtl?.[peer] ?? { min: 0, max: 255 };
      if (d.ip.ttl < range.min || d.ip.ttl > range.max) drop.push('ttl-range');
    }
  }

  if (a.version === 2) {
    if (a.authType !== local.authType) {
      drop.push('auth-type');
    } else if (local.authType === AUTH_PASS && !a.authData.equals(authDataFromPassword(local.authPass ?? ''))) {
      drop.push('auth-fail');
    }
    if (a.advertIntervalCs !== local.advertIntervalCs) drop.push('interval-mismatch');
  } else if (a.advertIntervalCs !== local.advertIntervalCs) {
    notes.push('interval-differs');
  }

  if (!local.skipAddressChecks && !sameAddressSet(a.addresses, local.addresses)) {
    // v2: MUST drop unless the sender is the owner (3768 §7.1). v3: log, do not drop (5798 §7.1) — keepalived drops anyway.
    if (a.version === 2 && a.priority !== 255) drop.push('address-list');
    else notes.push('address-list-differs');
  }
  return { drop, notes };
}
