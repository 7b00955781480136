import { type ConfigDiagnostic, ConfigError } from '../util/errors.js';
import { buildGarpGroup } from './build-garp-group.js';
import { applyGlobalDefs, defaultGlobalDefs } from './build-global.js';
import { buildInstance, buildVips, type InstanceDraft } from './build-instance.js';
import { buildInterfaceDelays } from './build-interface-delays.js';
import { assignRulePriorities, buildRoutes, buildRules } from './build-routes.js';
import { buildSyncGroup, reportSyncGroupUnknowns, type SyncGroupDraft } from './build-sync-group.js';
import { buildTrackFile, buildTrackProcess, buildVrrpScript } from './build-trackers.js';
import { Diagnostics } from './diagnostics.js';
import { checkKeyword, unknownKeywordMessage } from './keywords.js';
import type { LexOptions } from './lexer.js';
import type { KeepalivedConfig } from './model.js';
import { nodeSource } from './node-source.js';
import { readTokens } from './reader.js';
import { resolveInstance } from './resolve-instance.js';
import type { ConfigSource } from './source.js';
import { memorySource } from './source.js';
import { applySyncGroupTracking } from './sync-group-tracking.js';
import { buildTree, type Statement } from './tree.js';
import { validateReferences } from './validate.js';

/** What loading a configuration produced. `config` is undefined when any diagnostic is an error. */
export interface ConfigResult {
  config?: KeepalivedConfig;
  diagnostics: ConfigDiagnostic[];
}

export interface LoadOptions extends LexOptions {}

/**
 * Reads, parses and validates a keepalived.conf. File access (including `include` globs) goes through
 * `source`, which defaults to the real file system.
 */
export function loadConfig(path: string, source: ConfigSource = nodeSource, options: LoadOptions = {}): ConfigResult {
  const diags = new Diagnostics();
  const files: string[] = [];
  const tracking: ConfigSource = {
    read(p) {
      const text = source.read(p);
      files.push(p);
      return text;
    },
    glob: (pattern, relativeTo) => source.glob(pattern, relativeTo),
  };
  const tokens = readTokens(path, tracking, diags, options);
  if (files.length === 0) return { diagnostics: diags.list };
  return finish(buildTree(tokens, diags), files, diags);
}

/** Parses configuration text that has no includes to resolve (an `include` line is resolved against nothing). */
export function parseConfigText(text: string, fileName = 'keepalived.conf', options: LoadOptions = {}): ConfigResult {
  return loadConfig(fileName, memorySource({ [fileName]: text }), options);
}

/** Like loadConfig but throws ConfigError (carrying all diagnostics) when the configuration is invalid. */
export function loadConfigOrThrow(path: string, source?: ConfigSource, options?: LoadOptions): KeepalivedConfig {
  const result = loadConfig(path, source, options);
  if (result.config === undefined) throw new ConfigError(result.diagnostics);
  return result.config;
}

function finish(tree: Statement[], files: string[], diags: Diagnostics): ConfigResult {
  const globalDefs = defaultGlobalDefs();
  const config: KeepalivedConfig = {
    globalDefs,
    vrrpScripts: [],
    trackFiles: [],
    trackProcesses: [],
    vrrpInstances: [],
    syncGroups: [],
    ignoredBlocks: [],
    files,
  };
  const drafts: InstanceDraft[] = [];
  const groupDrafts: SyncGroupDraft[] = [];
  const droppedScripts = new Set<string>();
  // Position of each top-level block in reading order (includes spliced in), for use-before-definition checks.
  const order = new Map<object, number>();
  const draftOrder = new Map<InstanceDraft, number>();
  const garpGroupInterfaces = new Set<string>();

  for (const [index, s] of tree.entries()) {
    const known = checkKeyword('top', s.keyword, s.pos, diags) !== undefined;
    switch (s.keyword) {
      case 'global_defs':
        if (s.block === undefined) diags.error(s.pos, "'global_defs' needs a '{ }' block", s.keyword);
        else applyGlobalDefs(s.block, globalDefs, diags);
        break;
      case 'vrrp_script': {
        const r = buildVrrpScript(s, diags);
        if (r?.kind === 'ok') {
          config.vrrpScripts.push(r.script);
          order.set(r.script, index);
        } else if (r) droppedScripts.add(r.name);
        break;
      }
      case 'track_file':
      case 'vrrp_track_file': {
        const tf = buildTrackFile(s, diags);
        if (tf) {
          config.trackFiles.push(tf);
          order.set(tf, index);
        }
        break;
      }
      case 'vrrp_track_process': {
        const tp = buildTrackProcess(s, diags);
        if (tp) {
          config.trackProcesses.push(tp);
          order.set(tp, index);
        }
        break;
      }
      case 'vrrp_instance': {
        const d = buildInstance(s, diags);
        if (d) {
          drafts.push(d);
          draftOrder.set(d, index);
        }
        break;
      }
      case 'vrrp_sync_group': {
        const g = buildSyncGroup(s, diags);
        if (g) {
          groupDrafts.push(g);
          order.set(g.group, index);
        }
        break;
      }
      case 'static_routes':
        config.staticRoutes = [...(config.staticRoutes ?? []), ...buildRoutes(s, diags)];
        break;
      case 'static_rules':
        config.staticRules = [...(config.staticRules ?? []), ...buildRules(s, diags)];
        break;
      case 'garp_group':
        config.garpGroups = [...(config.garpGroups ?? []), buildGarpGroup(s, garpGroupInterfaces, diags)];
        break;
      case 'static_ipaddress': {
        // keepalived needs the interface of a static address (there is no instance to take it from).
        const addresses = buildVips(s, diags).filter((a) => {
          if (a.dev !== undefined) return true;
          diags.warning(a.pos, `static_ipaddress ${a.address} has no dev; it is ignored`, s.keyword);
          return false;
        });
        config.staticAddresses = [...(config.staticAddresses ?? []), ...addresses];
        break;
      }
      case 'interface_up_down_delays': {
        const lines = buildInterfaceDelays(s, diags);
        const names = new Set(lines.map((d) => d.ifname));
        config.interfaceDelays = [...(config.interfaceDelays ?? []).filter((d) => !names.has(d.ifname)), ...lines];
        break;
      }
      default:
        if (known) config.ignoredBlocks.push({ keyword: s.keyword, pos: s.pos });
        else diags.error(s.pos, unknownKeywordMessage(s.keyword, 'the top level'), s.keyword);
    }
  }

  for (const d of drafts) {
    const inst = resolveInstance(d, globalDefs, diags);
    if (inst) {
      config.vrrpInstances.push(inst);
      order.set(inst, draftOrder.get(d) ?? 0);
    }
  }
  assignRulePriorities(
    [...(config.staticRules ?? []), ...drafts.flatMap((d) => d.virtualRules ?? [])].sort(
      (a, b) =>
        files.indexOf(a.pos.file) - files.indexOf(b.pos.file) || a.pos.line - b.pos.line || a.pos.column - b.pos.column,
    ),
    diags,
  );
  const instanceNames = new Set(drafts.map((d) => d.name));
  for (const g of groupDrafts) {
    reportSyncGroupUnknowns(g, instanceNames, diags);
    config.syncGroups.push(g.group);
  }
  // Skip reference checks for instances that failed to resolve (their errors are already reported).
  const resolvedNames = new Set(config.vrrpInstances.map((i) => i.name));
  const unresolved = new Set([...instanceNames].filter((n) => !resolvedNames.has(n)));
  for (const g of config.syncGroups) g.members = g.members.filter((m) => !unresolved.has(m));
  validateReferences(config, droppedScripts, order, diags);
  inheritFromSyncGroups(config, drafts);
  if (!diags.hasErrors) applySyncGroupTracking(config, diags);

  const sorted = sortDiagnostics(diags.list, files);
  return diags.hasErrors ? { diagnostics: sorted } : { config, diagnostics: sorted };
}

/**
 * keepalived (vrrp.c vrrp_complete_instance): an instance that does not set notify_priority_changes takes
 * its sync group's setting, and only then global_defs vrrp_notify_priority_changes.
 */
function inheritFromSyncGroups(config: KeepalivedConfig, drafts: InstanceDraft[]): void {
  for (const inst of config.vrrpInstances) {
    const group = config.syncGroups.find((g) => g.name === inst.syncGroup);
    const own = drafts.find((d) => d.name === inst.name)?.notifyPriorityChanges;
    if (own === undefined && group?.notifyPriorityChanges !== undefined) {
      inst.notifyPriorityChanges = group.notifyPriorityChanges;
    }
  }
}

/** Diagnostics in file order (main file first), then by line and column, so output reads top to bottom. */
function sortDiagnostics(list: Diagnostics['list'], files: string[]) {
  const rank = (f: string) => {
    const i = files.indexOf(f);
    return i < 0 ? -1 : i;
  };
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d.file) - rank(b.d.file) || a.d.line - b.d.line || a.d.column - b.d.column || a.i - b.i)
    .map((x) => x.d);
}
