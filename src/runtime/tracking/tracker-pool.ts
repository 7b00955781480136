import type { KeepalivedConfig, VrrpScript } from '../../config/model.js';
import type { LinkMonitor } from '../../platform/index.js';
import { formatDiagnostic } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import { FileTracker, initTrackFile } from './file-tracker.js';
import type { TrackerPool } from './instance-tracking.js';
import { DebouncedLinks, effectiveLinkDelays } from './link-debounce.js';
import { ProcessScanner, ProcessTracker } from './process-tracker.js';
import { runAs, type ScriptUser } from './script-runner.js';
import { ScriptTracker } from './script-tracker.js';

export interface ManagedTrackers {
  pool: TrackerPool;
  /** Starts the trackers created by this build (reused ones keep running). */
  startNew(): void;
  stopAll(): void;
  /** Definition of each script / process tracker, to reuse it across a reload when unchanged. */
  definitions: Map<string, string>;
  scanner: ProcessScanner;
  /** The debounced link view of `interface_up_down_delays`, when any interface has delays. */
  debounced?: DebouncedLinks;
}

/**
 * One tracker per vrrp_script / track_file / vrrp_track_process, shared by every instance that references it. On reload,
 * trackers whose definition did not change are kept running, so an unchanged instance sees no blip.
 */
export function buildTrackerPool(
  config: KeepalivedConfig,
  links: LinkMonitor,
  previous: ManagedTrackers | undefined,
  log: Logger,
): ManagedTrackers {
  const scripts = new Map<string, ScriptTracker>();
  const files = new Map<string, FileTracker>();
  const definitions = new Map<string, string>();
  const fresh: (ScriptTracker | FileTracker)[] = [];
  const used = new Set<string>(config.vrrpInstances.flatMap((i) => i.trackScripts.map((r) => r.name)));

  for (const s of config.vrrpScripts) {
    if (!used.has(s.name)) continue;
    const def = JSON.stringify({ ...s, pos: undefined, script: s.script.command, user: config.globalDefs.scriptUser });
    definitions.set(`script:${s.name}`, def);
    const old = previous?.pool.scripts.get(s.name);
    if (old && previous?.definitions.get(`script:${s.name}`) === def) {
      scripts.set(s.name, old);
      continue;
    }
    const t = new ScriptTracker(
      {
        name: s.name,
        script: s.script.command,
        intervalMs: s.interval * 1000,
        timeoutMs: s.timeout * 1000,
        rise: s.rise,
        fall: s.fall,
        user: scriptUser(s, config, log),
      },
      log,
    );
    scripts.set(s.name, t);
    fresh.push(t);
  }
  for (const f of config.trackFiles) {
    if (f.initFile) {
      const problem = initTrackFile(f.file, f.initFile, previous !== undefined);
      if (problem) log.warn(problem, { trackFile: f.name });
    }
    const old = previous?.pool.files.get(f.name);
    if (old && old.path === f.file) {
      files.set(f.name, old);
      continue;
    }
    const t = new FileTracker(f.file);
    files.set(f.name, t);
    fresh.push(t);
  }
  const processes = new Map<string, ProcessTracker>();
  const usedProcesses = new Set(config.vrrpInstances.flatMap((i) => i.trackProcesses.map((r) => r.name)));
  for (const tp of config.trackProcesses) {
    if (!usedProcesses.has(tp.name)) continue;
    const def = JSON.stringify({ ...tp, pos: undefined });
    definitions.set(`process:${tp.name}`, def);
    const old = previous?.pool.processes.get(tp.name);
    processes.set(
      tp.name,
      old && previous?.definitions.get(`process:${tp.name}`) === def ? old : new ProcessTracker(tp),
    );
  }
  // A first count now: the instances created next start from the processes' real state.
  previous?.scanner.stop();
  const scanner = new ProcessScanner([...processes.values()]);
  scanner.scan();
  for (const [name, t] of previous?.pool.processes ?? []) if (processes.get(name) !== t) t.stop();
  for (const [name, t] of previous?.pool.scripts ?? []) if (scripts.get(name) !== t) t.stop();
  for (const [name, t] of previous?.pool.files ?? []) if (files.get(name) !== t) t.stop();

  // Unchanged delays keep their view across a reload, so a change already being delayed is not lost.
  const delays = effectiveLinkDelays(config);
  for (const d of config.interfaceDelays ?? []) {
    // keepalived: "unknown interface %s specified for up/down delay", a config error; it runs without the line.
    if (links.linkState(d.ifname) !== undefined) continue;
    const message = `unknown interface ${d.ifname} in interface_up_down_delays; the line is ignored`;
    log.warn(formatDiagnostic({ ...d.pos, severity: 'warning', message }), { keyword: 'interface_up_down_delays' });
    delays.delete(d.ifname);
  }
  const delaysDef = JSON.stringify([...delays]);
  let debounced = previous?.debounced;
  if (debounced && previous?.definitions.get('link-delays') !== delaysDef) {
    debounced.close();
    debounced = undefined;
  }
  if (!debounced && delays.size > 0) {
    debounced = new DebouncedLinks(links, delays, log);
    for (const [ifname, d] of delays) log.info('interface up/down delays', { interface: ifname, ...d });
  }
  if (debounced) definitions.set('link-delays', delaysDef);

  return {
    pool: { scripts, files, processes, links: debounced ?? links },
    definitions,
    scanner,
    ...(debounced ? { debounced } : {}),
    startNew: () => {
      for (const t of fresh) t.start();
      if (processes.size > 0) scanner.start();
    },
    stopAll: () => {
      for (const t of scripts.values()) t.stop();
      for (const t of files.values()) t.stop();
      scanner.stop();
      for (const t of processes.values()) t.stop();
      debounced?.close();
    },
  };
}

function scriptUser(s: VrrpScript, config: KeepalivedConfig, log: Logger): ScriptUser | undefined {
  return runAs(s, config.globalDefs.scriptUser, (m) => log.warn(`${m}; running script '${s.name}' as root`));
}
