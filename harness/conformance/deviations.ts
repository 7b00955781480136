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
    id: 'S2',
    reference:
      'keepalived.conf(5) `state MASTER|BACKUP`: the initial state; with `state BACKUP` even priority 255 waits Master_Down_Interval',
    why: 'keepalived starts an owner configured `state BACKUP` as Backup (RFC 5798 §6.4.1: an owner goes to Master at once); `state MASTER` gives the RFC behaviour',
  },
  {
    impl: 'keepalived',
    id: 'S14',
    reference:
      'keepalived.conf(5) `state MASTER|BACKUP`: the initial state; with `state BACKUP` even priority 255 waits Master_Down_Interval',
    why: 'keepalived starts an owner configured `state BACKUP` as Backup, so it preempts only after Master_Down_Interval',
  },
  {
    impl: 'keepalived',
    id: 'D2',
    reference:
      'keepalived 2.2.7 vrrp/vrrp_ndisc.c ndisc_send_unsolicited_na_immediate(): icmp6_router = get_ipv6_forwarding(ifp)',
    why: 'keepalived sets the NA Router flag only when IPv6 forwarding is on for the interface (off in the lab)',
  },
  {
    impl: 'keepalived',
    id: 'D4/v3-ipv4-vmac',
    reference:
      "keepalived 2.2.7 vrrp/vrrp_vmac.c: the macvlan stays up in BACKUP with the machine's forwarding setting",
    why: 'a keepalived Backup routes packets sent to the VMAC (RFC 5798 §6.4.2: it MUST NOT forward them); vrrpd turns conf.VMAC.forwarding off outside Master',
  },
];

export function deviationFor(impl: string, variantId: string): Deviation | undefined {
  if (impl === 'vrrpd') return undefined;
  const caseId = variantId.split('/')[0];
  return DEVIATIONS.find((d) => d.impl === impl && (d.id === variantId || d.id === caseId));
}
