/**
 * Deliberate, documented differences of reference implementations: a case that fails for one of these
 * (implementation, case) pairs is reported as `deviation` with the reference instead of `fail`. Never for vrrpd:
 * where vrrpd differs from the RFC, that is a bug to fix.
 */
export interface Deviation {
  impl: string;
  /** Case id (`R14`) or variant id (`R14/v3-ipv4`). */
  id: string;
  reference: string;
  why: string;
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    impl: 'keepalived',
    id: 'R14/v3-ipv4',
    reference:
      'keepalived 2.2.7 vrrp/vrrp.c vrrp_in_chk() "address list" check; keepalived.conf(5) skip_check_adv_addr',
    why: 'keepalived drops a v3 advert whose address list differs from its own (RFC 5798 only logs it); skip_check_adv_addr relaxes it',
  },
  {
    impl: 'keepalived',
    id: 'R14/v3-ipv6',
    reference:
      'keepalived 2.2.7 vrrp/vrrp.c vrrp_in_chk() "address list" check; keepalived.conf(5) skip_check_adv_addr',
    why: 'keepalived drops a v3 advert whose address list differs from its own (RFC 5798 only logs it)',
  },
  {
    impl: 'keepalived',
    id: 'R1/v3-ipv4-unicast',
    reference:
      'keepalived 2.2.7 vrrp/vrrp.c vrrp_in_chk(): the TTL check applies to multicast only; keepalived.conf(5) unicast_peer min_ttl/max_ttl',
    why: 'keepalived does not check the TTL of unicast adverts (peers may be routed); min_ttl/max_ttl configure it',
  },
];

export function deviationFor(impl: string, variantId: string): Deviation | undefined {
  if (impl === 'vrrpd') return undefined;
  const caseId = variantId.split('/')[0];
  return DEVIATIONS.find((d) => d.impl === impl && (d.id === variantId || d.id === caseId));
}
