/**
 * keepalived vrrp_sync_group: members move together. If one goes FAULT the others go FAULT, if one leaves
 * MASTER for BACKUP the other Masters follow, if one becomes MASTER the other Backups follow
 * (vrrp_sync_fault / vrrp_sync_backup / vrrp_sync_master in keepalived/vrrp/vrrp_sync.c).
 */
import type { InstanceEvent, InstanceSnapshot, VrrpState } from './types.js';

export interface SyncGroupMember {
  readonly name: string;
  /** The member's snapshot after the change being reported. */
  readonly snapshot: InstanceSnapshot;
}

export interface SyncGroupEvent {
  readonly member: string;
  readonly event: InstanceEvent;
}

export function syncFaultSource(group: string): string {
  return `sync-group:${group}`;
}

/**
 * Events to feed the other members after `changed` made the transition from → to. Feeding them can cause
 * further transitions; call this again for each, and it converges because members already in the target
 * state get nothing.
 *
 * FAULT is reconciled from the snapshots rather than from the transition: a member carries the group's fault
 * source exactly while some *other* member has a fault of its own, so the group recovers only when the last
 * real fault clears, whatever order the faults came and went in.
 */
export function syncGroupEvents(
  group: string,
  members: readonly SyncGroupMember[],
  changed: { readonly member: string; readonly from: VrrpState; readonly to: VrrpState },
): SyncGroupEvent[] {
  const source = syncFaultSource(group);
  const ownFault = (m: SyncGroupMember) => m.snapshot.faultSources.some((s) => s !== source);
  const out: SyncGroupEvent[] = [];
  for (const m of members) {
    const faultedOthers = members.filter((o) => o.name !== m.name && ownFault(o)).map((o) => o.name);
    const wants = faultedOthers.length > 0;
    if (wants !== m.snapshot.faultSources.includes(source)) {
      const reason = wants
        ? `sync group ${group}: ${faultedOthers.join(', ')} in FAULT`
        : `sync group ${group}: no member in FAULT`;
      out.push({ member: m.name, event: { type: 'fault', faulted: wants, source, reason } });
    }
  }
  for (const m of members) {
    if (m.name === changed.member) continue;
    const reason = `sync group ${group}: ${changed.member} ${changed.from} -> ${changed.to}`;
    if (changed.to === 'MASTER' && m.snapshot.state === 'BACKUP') {
      out.push({ member: m.name, event: { type: 'sync', to: 'MASTER', reason } });
    } else if (changed.to === 'BACKUP' && changed.from === 'MASTER' && m.snapshot.state === 'MASTER') {
      out.push({ member: m.name, event: { type: 'sync', to: 'BACKUP', reason } });
    }
  }
  return out;
}
