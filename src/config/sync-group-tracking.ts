import type { Diagnostics } from './diagnostics.js';
import type { KeepalivedConfig, VrrpInstance } from './model.js';

/**
 * keepalived 2.2.7's tracking rules for sync groups (vrrp.c vrrp_complete_instance / vrrp_complete_init):
 * - without `sync_group_tracking_weight`, a member's own tracking may only fault it, never move its
 *   priority: a weighted track_interface gets weight 0, a weighted track_script is dropped, a track_file
 *   with the default weight 1 gets weight 0 and one with another weight is dropped (each with a warning);
 * - the group's own track_interface / track_script / track_file / track_process apply to every member, with
 *   their weights.
 */
export function applySyncGroupTracking(config: KeepalivedConfig, diags: Diagnostics): void {
  const groups = new Map(config.syncGroups.map((g) => [g.name, g] as const));
  for (const inst of config.vrrpInstances) {
    const group = inst.syncGroup === undefined ? undefined : groups.get(inst.syncGroup);
    if (!group) continue;
    if (!group.trackingWeight) dropMemberWeights(inst, config, diags);
    inst.trackInterfaces.push(...group.trackInterfaces);
    inst.trackScripts.push(...group.trackScripts);
    inst.trackFiles.push(...group.trackFiles);
    inst.trackProcesses.push(...group.trackProcesses);
  }
}

function dropMemberWeights(inst: VrrpInstance, config: KeepalivedConfig, diags: Diagnostics): void {
  const n = `(${inst.name})`;
  const why = "due to its sync group (set 'sync_group_tracking_weight' to keep weights)";
  for (const t of inst.trackInterfaces) {
    if (t.weight === 0) continue;
    diags.warning(t.pos, `${n} ignoring the weight of tracked interface ${t.name} ${why}`, 'track_interface');
    t.weight = 0;
  }
  inst.trackScripts = inst.trackScripts.filter((ref) => {
    const weight = ref.weight ?? config.vrrpScripts.find((s) => s.name === ref.name)?.weight ?? 0;
    if (weight === 0) return true;
    diags.warning(ref.pos, `${n} ignoring tracked script ${ref.name} with weight ${weight} ${why}`, 'track_script');
    return false;
  });
  inst.trackProcesses = inst.trackProcesses.filter((ref) => {
    const weight = ref.weight ?? config.trackProcesses.find((p) => p.name === ref.name)?.weight ?? 0;
    if (weight === 0) return true;
    diags.warning(ref.pos, `${n} ignoring tracked process ${ref.name} with weight ${weight} ${why}`, 'track_process');
    return false;
  });
  inst.trackFiles = inst.trackFiles.filter((ref) => {
    const weight = ref.weight ?? config.trackFiles.find((f) => f.name === ref.name)?.weight ?? 1;
    if (weight === 0) return true;
    if (weight === 1) {
      diags.warning(ref.pos, `${n} ignoring the weight of tracked file ${ref.name} ${why}`, 'track_file');
      ref.weight = 0;
      return true;
    }
    diags.warning(ref.pos, `${n} ignoring tracked file ${ref.name} with weight ${weight} ${why}`, 'track_file');
    return false;
  });
}
