import type { Setting } from '../adapters/capabilities.js';
import type { CaseVariant, GroupName } from './types.js';

/**
 * Every case of the suite: id, RFC section, title, the group (one file of cases and one set of labs) and its
 * variants with the settings each needs. Ids follow the project's conformance list (T, R, S, D, I).
 */

interface CaseDef {
  id: string;
  rfc: string;
  title: string;
  group: GroupName;
  variants: Record<string, readonly Setting[]>;
}

const V3_4: Setting[] = ['v3', 'ipv4', 'subsecond'];
const V3_6: Setting[] = ['v3', 'ipv6', 'subsecond'];
const V2_4: Setting[] = ['v2', 'ipv4'];
const std = { 'v3-ipv4': V3_4, 'v3-ipv6': V3_6, 'v2-ipv4': V2_4 };

const CASES: CaseDef[] = [
  // ---- what the DUT transmits ----
  {
    id: 'T1',
    rfc: '5798 §5.1.1.2–5.1.1.4, §5.1.2.2–5.1.2.4; 3768 §5.2',
    title: 'Advert to 224.0.0.18 / ff02::12, protocol 112, TTL / hop limit 255',
    group: 'transmit',
    variants: std,
  },
  {
    id: 'T2',
    rfc: '5798 §5.1.1.1, §5.1.2.1',
    title: 'Source = primary IPv4 address / IPv6 link-local, never a VIP',
    group: 'transmit',
    variants: std,
  },
  {
    id: 'T3',
    rfc: '5798 §7.2, §7.3',
    title: 'Source MAC = 00:00:5e:00:01:VRID (IPv6 00:00:5e:00:02:VRID)',
    group: 'transmit',
    variants: { 'v3-ipv4-vmac': [...V3_4, 'vmac'], 'v3-ipv6-vmac': [...V3_6, 'vmac'] },
  },
  {
    id: 'T4',
    rfc: '5798 §5.2.1–5.2.5',
    title: 'Byte 0 = 0x31 / 0x21; VRID, priority, Count and addresses match the configuration',
    group: 'transmit',
    variants: std,
  },
  {
    id: 'T5',
    rfc: '5798 §5.2.6–5.2.7',
    title: 'v3: rsvd = 0; Max Adver Int = the configured centiseconds',
    group: 'transmit',
    variants: { 'v3-ipv4': V3_4, 'v3-ipv6': V3_6, 'v3-ipv4-edge': ['v3', 'ipv4'] },
  },
  {
    id: 'T6',
    rfc: '3768 §5.3.6–5.3.10',
    title: 'v2: Adver Int in seconds, Auth Type 0 with 8 zero bytes (PASS: the password), length 16 + 4n',
    group: 'transmit',
    variants: { 'v2-ipv4': V2_4, 'v2-ipv4-auth': [...V2_4, 'auth_pass'] },
  },
  {
    id: 'T7',
    rfc: '3768 §5.3.8; 5798 §5.2.8',
    title: 'Checksum correct (v2 message; v3 IPv6 pseudo-header; v3 IPv4 RFC 5798 form)',
    group: 'transmit',
    variants: std,
  },
  {
    id: 'T8',
    rfc: '5798 §5.2.9',
    title: 'IPv6: addresses of one family, the link-local first',
    group: 'transmit',
    variants: { 'v3-ipv6': V3_6 },
  },
  {
    id: 'T9',
    rfc: '5798 §6.4.3',
    title: 'Period between adverts = Advertisement_Interval',
    group: 'transmit',
    variants: std,
  },
  {
    id: 'T10',
    rfc: '5798 §5.2.4, §6.4.3',
    title: 'Owner sends 255, a non-owner never; priority 0 only on shutdown',
    group: 'transmit',
    variants: { 'v3-ipv4': V3_4, 'v2-ipv4': V2_4, 'v3-ipv4-owner': [...V3_4, 'owner'] },
  },
  // ---- crafted adverts the DUT must discard (or accept) ----
  {
    id: 'R1',
    rfc: '3768 §5.2.3, §7.1; 5798 §5.1.1.3',
    title: 'TTL 254 is discarded',
    group: 'receive',
    variants: { 'v3-ipv4': V3_4, 'v2-ipv4': V2_4, 'v3-ipv4-unicast': [...V3_4, 'unicast'] },
  },
  {
    id: 'R2',
    rfc: '5798 §5.1.2.3, §7.1',
    title: 'IPv6 hop limit 254 is discarded',
    group: 'receive',
    variants: { 'v3-ipv6': V3_6 },
  },
  {
    id: 'R3',
    rfc: '3768 §7.1; 5798 §7.1',
    title: 'Wrong version (v2 to a v3 VRID, v3 to a v2 VRID) is discarded',
    group: 'receive',
    variants: { 'v3-ipv4': V3_4, 'v2-ipv4': V2_4 },
  },
  { id: 'R4', rfc: '3768 §7.1; 5798 §7.1', title: 'Bad checksum is discarded', group: 'receive', variants: std },
  {
    id: 'R5',
    rfc: '3768 §7.1; 5798 §7.1',
    title: 'Truncated (Count 2 with 1 address; v2 without the auth trailer) is discarded',
    group: 'receive',
    variants: std,
  },
  { id: 'R6', rfc: '3768 §5.3.2; 5798 §5.2.2', title: 'Type 2 is discarded', group: 'receive', variants: std },
  {
    id: 'R7',
    rfc: '5798 §7.1',
    title: 'A VRID not configured is ignored; the own VRID is unaffected',
    group: 'receive',
    variants: std,
  },
  {
    id: 'R8',
    rfc: '3768 §5.3.6, §7.1',
    title: 'v2 Auth Type mismatch (1 against 0) is discarded',
    group: 'receive',
    variants: { 'v2-ipv4': V2_4 },
  },
  {
    id: 'R9',
    rfc: '3768 §7.1',
    title: 'v2 Adver Int different from the local one is discarded',
    group: 'receive',
    variants: { 'v2-ipv4': V2_4 },
  },
  {
    id: 'R10',
    rfc: '5798 §6.4.2, §7.1',
    title: 'v3 Max Adver Int ≠ local is accepted; the Backup times out at 3 × peer interval + skew',
    group: 'receive',
    variants: { 'v3-ipv4': V3_4, 'v3-ipv6': V3_6 },
  },
  {
    id: 'R11',
    rfc: '5798 §5.2.6',
    title: 'v3 rsvd bits set are ignored (0xF00A read as 10 cs)',
    group: 'receive',
    variants: { 'v3-ipv4': V3_4 },
  },
  { id: 'R12', rfc: '5798 §5.2.5; 9568 erratum 8299', title: 'Count 0 is ignored', group: 'receive', variants: std },
  {
    id: 'R13',
    rfc: '9568 erratum 8301',
    title: 'Max Adver Int 0 is discarded',
    group: 'receive',
    variants: { 'v3-ipv4': V3_4, 'v3-ipv6': V3_6 },
  },
  {
    id: 'R14',
    rfc: '3768 §7.1; 5798 §7.1',
    title: 'Address list differs: v2 dropped (sender ≠ 255), v3 processed',
    group: 'receive',
    variants: std,
  },
  {
    id: 'R15',
    rfc: '9568 §5.2.8',
    title: 'v3 IPv4 checksum in the RFC 9568 form: accepted only where configured or documented',
    group: 'receive',
    variants: { 'v3-ipv4': V3_4 },
  },
  {
    id: 'R16',
    rfc: '5798 §5.2.9',
    title: 'IPv4 addresses inside an IPv6 advert are discarded',
    group: 'receive',
    variants: { 'v3-ipv6': V3_6 },
  },
  {
    id: 'R17',
    rfc: 'robustness (CARP, proto 112)',
    title: 'A CARP packet (0x21, 36 bytes) is discarded, no crash, no state change',
    group: 'receive',
    variants: { 'v2-ipv4': V2_4 },
  },
  {
    id: 'R18',
    rfc: '5798 §7.1',
    title: 'An advert for the VRID on another interface is ignored',
    group: 'receive',
    variants: { 'v3-ipv4': V3_4 },
  },
  // ---- state machine and timers ----
  {
    id: 'S1',
    rfc: '5798 §6.4.1, §6.1',
    title: 'Non-owner start-up: Backup, Master only after Master_Down_Interval of silence',
    group: 'state',
    variants: { 'v3-ipv4': ['v3', 'ipv4'] },
  },
  {
    id: 'S2',
    rfc: '5798 §6.4.1',
    title: 'Owner start-up: Master at once, advert and GARP',
    group: 'state',
    variants: { 'v3-ipv4': ['v3', 'ipv4', 'owner'] },
  },
  {
    id: 'S3',
    rfc: '5798 §6.4.2',
    title: 'A Backup hearing higher or equal priority never transmits',
    group: 'state',
    variants: { 'v3-ipv4': V3_4 },
  },
  {
    id: 'S4',
    rfc: '5798 §6.4.2',
    title: 'Silent Master death: takeover within (MDI − interval, MDI] of the last advert',
    group: 'state',
    variants: { 'v3-ipv4': V3_4, 'v3-ipv6': V3_6 },
  },
  {
    id: 'S5',
    rfc: '5798 §6.4.2',
    title: 'Priority 0 received by the Backup: Master after Skew_Time',
    group: 'state',
    variants: { 'v3-ipv4': ['v3', 'ipv4'] },
  },
  {
    id: 'S6',
    rfc: '5798 §6.4.3',
    title: 'Shutdown of the Master sends a priority-0 advert',
    group: 'state',
    variants: { 'v3-ipv4': V3_4 },
  },
  {
    id: 'S7',
    rfc: '5798 §6.4.3',
    title: 'Priority 0 received by the Master: advert at once, Adver_Timer reset',
    group: 'state',
    variants: { 'v3-ipv4': ['v3', 'ipv4'] },
  },
  {
    id: 'S8',
    rfc: '5798 §6.4.3',
    title: 'Master receives a higher priority: Backup at once, silent, VIP removed',
    group: 'state',
    variants: { 'v3-ipv4': V3_4 },
  },
  {
    id: 'S9',
    rfc: '5798 §6.4.3; 9568',
    title: 'Master receives an equal priority: greater sender IP wins, lower loses',
    group: 'state',
    variants: { 'v3-ipv4': V3_4 },
  },
  {
    id: 'S10',
    rfc: '9568 §6.4.3',
    title: 'Master receives a lower priority: stays Master',
    group: 'state',
    variants: { 'v3-ipv4': ['v3', 'ipv4'] },
  },
  {
    id: 'S11',
    rfc: '5798 §6.4.2',
    title: 'Preempt on: a higher-priority Backup ignores a lower-priority Master, takes over after MDI',
    group: 'state',
    variants: { 'v3-ipv4': V3_4 },
  },
  {
    id: 'S12',
    rfc: '5798 §6.1, §6.4.2',
    title: 'Preempt off: a higher-priority Backup stays Backup while a lower Master advertises',
    group: 'state',
    variants: { 'v3-ipv4': [...V3_4, 'nopreempt'] },
  },
  {
    id: 'S13',
    rfc: '5798 §6.1 (skew)',
    title: 'Three routers: after the Master fails the priority-100 router wins, the 50 never transmits',
    group: 'state',
    variants: { 'v3-ipv4': V3_4 },
  },
  {
    id: 'S14',
    rfc: '5798 §6.1',
    title: 'The owner preempts a non-owner Master as soon as it starts',
    group: 'state',
    variants: { 'v3-ipv4': ['v3', 'ipv4', 'owner'] },
  },
  {
    id: 'S15',
    rfc: '5798 §6.4.2',
    title: 'A v3 Backup adopts the Master’s interval for Master_Down_Interval',
    group: 'state',
    variants: { 'v3-ipv4': V3_4 },
  },
  {
    id: 'S16',
    rfc: '5798 §1, §7.1',
    title: 'Several VRIDs, and IPv4/IPv6 of one VRID, run independently',
    group: 'state',
    variants: { 'v3-dual': [...V3_4, 'ipv6'] },
  },
  // ---- data plane ----
  {
    id: 'D1',
    rfc: '5798 §6.4.2; 9568 errata 7947, 7949',
    title: 'Becoming Master: a gratuitous ARP per IPv4 VIP',
    group: 'dataplane',
    variants: { 'v3-ipv4': V3_4, 'v3-ipv4-vmac': [...V3_4, 'vmac'] },
  },
  {
    id: 'D2',
    rfc: '5798 §6.4.1–6.4.2',
    title:
      'Becoming Master (IPv6): unsolicited NA per VIP to ff02::1, R=1 S=0 O=1, TLLA; joins the solicited-node group',
    group: 'dataplane',
    variants: { 'v3-ipv6': V3_6 },
  },
  {
    id: 'D3',
    rfc: '5798 §6.4.2–6.4.3, §8.1.2',
    title: 'The Master answers ARP/NS for the VIP with the VMAC (NA with R=1); the Backup does not answer',
    group: 'dataplane',
    variants: { 'v3-ipv4-vmac': [...V3_4, 'vmac'], 'v3-ipv6-vmac': [...V3_6, 'vmac'] },
  },
  {
    id: 'D4',
    rfc: '5798 §6.4.2',
    title: 'The Backup does not accept packets for the VIP, nor forward frames sent to the VMAC',
    group: 'dataplane',
    variants: { 'v3-ipv4': V3_4, 'v3-ipv4-vmac': [...V3_4, 'vmac'] },
  },
  {
    id: 'D5',
    rfc: '5798 §6.1, §6.4.3',
    title: 'Accept_Mode False: a non-owner Master drops a ping to the VIP; True: it replies',
    group: 'dataplane',
    variants: { 'v3-ipv4-noaccept': [...V3_4, 'accept_mode'], 'v3-ipv4-accept': [...V3_4, 'accept_mode'] },
  },
  {
    id: 'D6',
    rfc: '5798 §6.4.3',
    title: 'The Master forwards traffic from a host using the VIP as gateway',
    group: 'dataplane',
    variants: { 'v3-ipv4': V3_4 },
  },
  {
    id: 'D7',
    rfc: '5798 §6.4 (derived)',
    title: 'Exactly one VIP holder once stable; no-holder / two-holder windows within bounds',
    group: 'dataplane',
    variants: { 'v3-ipv4': V3_4 },
  },
  // ---- interoperability ----
  {
    id: 'I1',
    rfc: 'UNH-IOL VRRP group 1',
    title: 'Against keepalived and FRR: election, failover, preemption both ways',
    group: 'interop',
    variants: {
      'keepalived-v3-ipv4': V3_4,
      'keepalived-v2-ipv4': V2_4,
      'keepalived-v3-ipv6': V3_6,
      'frr-v3-ipv4': V3_4,
      'frr-v2-ipv4': V2_4,
      'frr-v3-ipv6': V3_6,
    },
  },
  {
    id: 'I2',
    rfc: '5798 §8.4',
    title: 'v2 against v3 on one VRID: both Master (documented incompatibility)',
    group: 'interop',
    variants: { 'keepalived-v2-v3': ['v3', 'ipv4', 'subsecond'] },
  },
];

export const CATALOGUE: readonly CaseVariant[] = CASES.flatMap((c) =>
  Object.entries(c.variants).map(([v, needs]) => ({
    id: `${c.id}/${v}`,
    caseId: c.id,
    rfc: c.rfc,
    title: c.title,
    group: c.group,
    needs,
  })),
);

export const CASE_IDS: readonly string[] = CASES.map((c) => c.id);

export function variant(id: string): CaseVariant {
  const v = CATALOGUE.find((c) => c.id === id);
  if (!v) throw new Error(`no conformance case ${id}`);
  return v;
}

/** Selects variants: `R1` means every variant of R1, `R1/v3-ipv4` that one. Unknown names are returned apart. */
export function selectCases(names: readonly string[]): { selected: CaseVariant[]; unknown: string[] } {
  if (names.length === 0) return { selected: [...CATALOGUE], unknown: [] };
  const unknown = names.filter((n) => !CATALOGUE.some((c) => c.id === n || c.caseId === n));
  const selected = CATALOGUE.filter((c) => names.some((n) => c.id === n || c.caseId === n));
  return { selected, unknown };
}
