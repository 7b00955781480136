import type { Diagnostics } from './diagnostics.js';
import type { KeepalivedConfig, TrackRef } from './model.js';

/**
 * Cross-block checks, after every block is built: names referenced by track_* and sync groups exist,
 * and no two instances share a VRID on one interface and address family (keepalived refuses to start:
 * "VI_1 and VI_2 both use VRID 5 with IPv4 on interface eth0").
 *
 * keepalived only warns and ignores an unknown track_script name; vrrpd makes it an error because a
 * typo there silently disables the tracking. A script keepalived itself dropped (no `script` line, as in
 * Debian's conditional_conf sample) is still only a warning, like keepalived.
 */
export function validateReferences(
  config: KeepalivedConfig,
  droppedScripts: ReadonlySet<string>,
  order: ReadonlyMap<object, number>,
  diags: Diagnostics,
): void {
  const scripts = new Map(config.vrrpScripts.map((s) => [s.name, s] as const));
  const files = new Map(config.trackFiles.map((f) => [f.name, f] as const));
  const processes = new Map(config.trackProcesses.map((p) => [p.name, p] as const));

  const checkRefs = (
    owner: { name: string },
    refs: TrackRef[],
    known: Map<string, { pos: { file: string; line: number } }>,
    kind: 'track_script' | 'track_file' | 'track_process',
  ) => {
    const ownerName = owner.name;
    for (const ref of refs) {
      const def = known.get(ref.name);
      if (def !== undefined) {
        // keepalived looks the name up while parsing the track block, so a later definition is
        // "not found, ignoring" there and tracking silently never happens.
        if ((order.get(def) ?? 0) > (order.get(owner) ?? 0)) {
          diags.error(
            ref.pos,
            `(${ownerName}) ${kind} '${ref.name}' is used before it is defined at ${def.pos.file}:${def.pos.line}; keepalived would ignore it, so define it first`,
            kind,
          );
        }
        continue;
      }
      if (kind === 'track_script' && droppedScripts.has(ref.name)) {
        diags.warning(
          ref.pos,
          `(${ownerName}) track script ${ref.name} has no script and was removed; ignoring it`,
          kind,
        );
      } else {
        const what = { track_script: 'vrrp_script', track_file: 'track_file', track_process: 'vrrp_track_process' }[
          kind
        ];
        diags.error(ref.pos, `(${ownerName}) ${kind} '${ref.name}' is not defined (no ${what} ${ref.name} { })`, kind);
      }
    }
  };

  for (const inst of config.vrrpInstances) {
    checkRefs(inst, inst.trackScripts, scripts, 'track_script');
    checkRefs(inst, inst.trackFiles, files, 'track_file');
    checkRefs(inst, inst.trackProcesses, processes, 'track_process');
  }

  const instanceByName = new Map(config.vrrpInstances.map((i) => [i.name, i]));
  const memberOf = new Map<string, string>();
  for (const group of config.syncGroups) {
    checkRefs(group, group.trackScripts, scripts, 'track_script');
    checkRefs(group, group.trackFiles, files, 'track_file');
    checkRefs(group, group.trackProcesses, processes, 'track_process');
    for (const member of group.members) {
      const inst = instanceByName.get(member);
      if (inst === undefined) {
        diags.error(group.pos, `vrrp_sync_group ${group.name}: member '${member}' is not a vrrp_instance`, 'group');
        continue;
      }
      const other = memberOf.get(member);
      if (other !== undefined) {
        diags.error(group.pos, `vrrp_sync_group ${group.name}: ${member} is already in sync group ${other}`, 'group');
        continue;
      }
      memberOf.set(member, group.name);
      inst.syncGroup = group.name;
    }
    if (group.members.length === 0) {
      diags.warning(group.pos, `vrrp_sync_group ${group.name} has no members`, 'vrrp_sync_group');
    }
  }

  // One VRID per (interface, family) unless every instance involved is unicast with disjoint peers (man page).
  const seen = new Map<string, (typeof config.vrrpInstances)[number]>();
  for (const inst of config.vrrpInstances) {
    const key = `${inst.interface}\u0000${inst.family}\u0000${inst.virtualRouterId}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, inst);
      continue;
    }
    const disjointUnicast =
      first.unicastPeers.length > 0 &&
      inst.unicastPeers.length > 0 &&
      !inst.unicastPeers.some((p) => first.unicastPeers.some((q) => q.address === p.address));
    const differentGroups = (first.mcastDstIp ?? '') !== (inst.mcastDstIp ?? '');
    if (disjointUnicast || differentGroups) continue;
    diags.error(
      inst.pos,
      `(${inst.name}) ${first.name} and ${inst.name} both use VRID ${inst.virtualRouterId} with ${inst.family === 'ipv4' ? 'IPv4' : 'IPv6'} on interface ${inst.interface} (${first.name} is at ${first.pos.file}:${first.pos.line})`,
      'virtual_router_id',
    );
  }

  const names = new Map<string, string>();
  for (const inst of config.vrrpInstances) {
    const prev = names.get(inst.name);
    if (prev !== undefined)
      diags.error(inst.pos, `vrrp_instance ${inst.name} is defined twice (first at ${prev})`, 'vrrp_instance');
    else names.set(inst.name, `${inst.pos.file}:${inst.pos.line}`);
  }
}
