import type { KeepalivedConfig, VrrpInstance } from '../../config/model.js';
import type { InstanceStatus } from '../status.js';
import {
  checkContribution,
  effectivePriority,
  fileContribution,
  processContribution,
  type TrackedContribution,
} from './effective-priority.js';
import type { FileTracker } from './file-tracker.js';
import type { LinkView } from './link-debounce.js';
import type { ProcessTracker } from './process-tracker.js';
import type { ScriptTracker } from './script-tracker.js';

export interface TrackerPool {
  scripts: Map<string, ScriptTracker>;
  files: Map<string, FileTracker>;
  processes: Map<string, ProcessTracker>;
  /** Links as the instances see them: the kernel's state, or its debounced view (interface_up_down_delays). */
  links: LinkView;
}

export interface TrackingVerdict {
  effective: number;
  faulted: boolean;
  faultReasons: string[];
}

/**
 * Everything one instance tracks: its vrrp_scripts, track_interfaces, track_files and (unless
 * dont_track_primary) its own interface, whose loss puts the instance in FAULT as keepalived does.
 */
export class InstanceTracking {
  constructor(
    private readonly inst: VrrpInstance,
    private readonly config: KeepalivedConfig,
    private readonly pool: TrackerPool,
  ) {}

  /** Calls `cb` whenever any tracked object of this instance changes; returns the unsubscribe function. */
  subscribe(cb: () => void): () => void {
    const names = new Set([this.inst.interface, ...this.inst.trackInterfaces.map((t) => t.name)]);
    const onLink = (c: { ifname: string }) => {
      if (names.has(c.ifname)) cb();
    };
    const scripts = this.inst.trackScripts.map((ref) => this.pool.scripts.get(ref.name)).filter((t) => t !== undefined);
    const files = this.inst.trackFiles.map((ref) => this.pool.files.get(ref.name)).filter((t) => t !== undefined);
    const procs = this.inst.trackProcesses
      .map((ref) => this.pool.processes.get(ref.name))
      .filter((t) => t !== undefined);
    for (const t of scripts) t.on('change', cb);
    for (const f of files) f.on('change', cb);
    for (const p of procs) p.on('change', cb);
    this.pool.links.on('change', onLink);
    return () => {
      for (const t of scripts) t.off('change', cb);
      for (const f of files) f.off('change', cb);
      for (const p of procs) p.off('change', cb);
      this.pool.links.off('change', onLink);
    };
  }

  verdict(): TrackingVerdict {
    return effectivePriority(this.inst.priority, this.contributions());
  }

  describe(): InstanceStatus['tracking'] {
    const out: InstanceStatus['tracking'] = [];
    for (const ref of this.inst.trackScripts) {
      const t = this.pool.scripts.get(ref.name);
      out.push({ name: ref.name, kind: 'script', weight: this.scriptWeight(ref.name, ref.weight), up: t?.up ?? null });
    }
    for (const t of this.inst.trackInterfaces) {
      out.push({ name: t.name, kind: 'interface', weight: t.weight, up: this.linkUp(t.name) ?? null });
    }
    for (const ref of this.inst.trackFiles) {
      const f = this.pool.files.get(ref.name);
      out.push({ name: ref.name, kind: 'file', weight: ref.weight ?? 1, up: f ? f.value === 0 : null });
    }
    for (const ref of this.inst.trackProcesses) {
      const p = this.pool.processes.get(ref.name);
      out.push({ name: ref.name, kind: 'process', weight: ref.weight ?? p?.def.weight ?? 0, up: p?.up ?? null });
    }
    return out;
  }

  private contributions(): TrackedContribution[] {
    const out: TrackedContribution[] = [];
    if (!this.inst.dontTrackPrimary) {
      const up = this.linkUp(this.inst.interface);
      out.push({ name: `interface ${this.inst.interface}`, delta: 0, faulted: up === false });
    }
    for (const t of this.inst.trackInterfaces) {
      out.push(checkContribution(`interface ${t.name}`, t.weight, t.reverse, this.linkUp(t.name)));
    }
    for (const ref of this.inst.trackScripts) {
      const script = this.config.vrrpScripts.find((s) => s.name === ref.name);
      const tracker = this.pool.scripts.get(ref.name);
      if (!script || !tracker) continue;
      const reverse = ref.reverse ?? script.weightReverse;
      out.push(checkContribution(`script ${ref.name}`, ref.weight ?? script.weight, reverse, tracker.up));
    }
    for (const ref of this.inst.trackFiles) {
      const def = this.config.trackFiles.find((f) => f.name === ref.name);
      const tracker = this.pool.files.get(ref.name);
      if (!def || !tracker) continue;
      out.push(
        fileContribution(`file ${ref.name}`, ref.weight ?? def.weight, ref.reverse ?? def.weightReverse, tracker.value),
      );
    }
    for (const ref of this.inst.trackProcesses) {
      const p = this.pool.processes.get(ref.name);
      if (!p) continue;
      const weight = ref.weight ?? p.def.weight;
      out.push(processContribution(`process ${ref.name}`, weight, ref.reverse ?? p.def.weightReverse, p.up));
    }
    return out;
  }

  private scriptWeight(name: string, override: number | undefined): number {
    return override ?? this.config.vrrpScripts.find((s) => s.name === name)?.weight ?? 0;
  }

  private linkUp(ifname: string): boolean | undefined {
    try {
      return this.pool.links.linkState(ifname)?.up ?? false;
    } catch {
      return false;
    }
  }
}
