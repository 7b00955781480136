import { readNotify } from './build-instance.js';
import { buildTrackInterfaces, buildTrackRefs } from './build-trackers.js';
import type { Diagnostics } from './diagnostics.js';
import { checkKeyword, unknownKeywordMessage } from './keywords.js';
import type { SyncGroup } from './model.js';
import type { Statement } from './tree.js';
import { expectBlock, expectNoBlock, noArgs, readOptionalBool, requireArg } from './values.js';

/** A sync group plus the statements whose keyword was not recognised (checked once instances are known). */
export interface SyncGroupDraft {
  group: SyncGroup;
  unknown: Statement[];
}

export function buildSyncGroup(stmt: Statement, diags: Diagnostics): SyncGroupDraft | undefined {
  const nameArg = requireArg(stmt, 0, diags, 'a name');
  if (!nameArg) return undefined;
  const group: SyncGroup = {
    name: nameArg.value,
    pos: stmt.pos,
    members: [],
    trackInterfaces: [],
    trackScripts: [],
    trackFiles: [],
    trackProcesses: [],
    notify: {},
    trackingWeight: false,
  };
  const unknown: Statement[] = [];
  for (const s of expectBlock(stmt, diags)) {
    const known = checkKeyword('vrrp_sync_group', s.keyword, s.pos, diags) !== undefined;
    switch (s.keyword) {
      case 'group':
        // A value block: every word is a member, several per line allowed (keepalived read_value_block).
        for (const line of expectBlock(s, diags)) {
          expectNoBlock(line, diags);
          group.members.push(line.keyword, ...line.args.map((a) => a.value));
        }
        break;
      case 'track_interface':
        group.trackInterfaces.push(...buildTrackInterfaces(s, diags));
        break;
      case 'track_script':
        group.trackScripts.push(...buildTrackRefs(s, diags, -253, 253));
        break;
      case 'track_file':
        group.trackFiles.push(...buildTrackRefs(s, diags, -254, 254));
        break;
      case 'track_process':
        group.trackProcesses.push(...buildTrackRefs(s, diags, -254, 254));
        break;
      case 'notify_master':
      case 'notify_backup':
      case 'notify_fault':
      case 'notify_stop':
      case 'notify':
        expectNoBlock(s, diags);
        readNotify(s, group.notify, diags);
        break;
      case 'notify_priority_changes':
        expectNoBlock(s, diags);
        {
          const v = readOptionalBool(s, 0, diags);
          if (v !== undefined) group.notifyPriorityChanges = v;
        }
        break;
      case 'sync_group_tracking_weight':
        noArgs(s, diags);
        group.trackingWeight = true;
        break;
      default:
        if (!known) unknown.push(s);
    }
  }
  return { group, unknown };
}

/**
 * keepalived reports `Unknown keyword 'VI_2'` for members written without `group { }` (as in Debian's
 * keepalived.conf.vrrp.lvs_syncd sample) and carries on without them. vrrpd does the same but as a
 * warning with a hint when the word names an instance; any other unknown keyword is an error.
 */
export function reportSyncGroupUnknowns(
  draft: SyncGroupDraft,
  instanceNames: ReadonlySet<string>,
  diags: Diagnostics,
): void {
  for (const s of draft.unknown) {
    if (instanceNames.has(s.keyword) && s.block === undefined) {
      diags.warning(
        s.pos,
        `unknown keyword '${s.keyword}' in vrrp_sync_group ${draft.group.name}; members must be inside 'group { }', so it is ignored`,
        s.keyword,
      );
    } else diags.error(s.pos, unknownKeywordMessage(s.keyword, `vrrp_sync_group ${draft.group.name}`), s.keyword);
  }
}
