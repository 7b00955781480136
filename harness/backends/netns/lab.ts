import { mkdir } from 'node:fs/promises';
import { VrrpLabError } from '../../../src/util/errors.js';
import type { ImplementationAdapter } from '../../adapters/types.js';
import { readProcStat } from '../../platform/procfs.js';
import { ipBatch } from '../../platform/run.js';
import { spawnDetached } from '../../platform/spawn-detached.js';
import type { Topology } from '../../topology/types.js';
import { waitAnchorInNetns } from './anchor.js';
import { buildPlan } from './build-plan.js';
import { LabHost } from './lab-host.js';
import { waitLinksReady } from './links-ready.js';
import { ManifestStore, readManifest } from './manifest.js';
import { isRunId, newRunId, RUN_ENV } from './names.js';
import { defaultRunsDir, runPaths } from './run-dir.js';
import { type DestroyOptions, RunLab, type RunLabOptions } from './run-lab.js';

export type { DestroyOptions };
export type LabOptions = RunLabOptions;

/**
 * A topology running in network namespaces. `Lab.build()` creates it; destroy() (or `await using`)
 * removes it. Both are idempotent; a crashed owner's leftovers are removed by cleanDeadRuns().
 */
export class Lab extends RunLab<LabHost> {
  /** Create a lab for `topology` and build it. */
  static async build(topology: Topology, opts: LabOptions = {}): Promise<Lab> {
    const lab = await Lab.create(topology, opts);
    await lab.build();
    return lab;
  }

  /** Prepare a lab (run id, plan, manifest store) without creating anything yet. */
  static async create(topology: Topology, opts: LabOptions = {}): Promise<Lab> {
    const runId = opts.runId ?? newRunId();
    if (!isRunId(runId)) throw new VrrpLabError(`invalid run id "${runId}": 6 characters [a-z0-9]`);
    const paths = runPaths(opts.runsDir ?? defaultRunsDir(), runId);
    const plan = buildPlan(topology, runId);
    const manifest = await RunLab.newManifest(topology, runId, paths, plan, opts);
    return new Lab(topology, runId, paths, plan, new ManifestStore(paths.manifest, manifest), opts);
  }

  /**
   * Re-open a running lab from its manifest (e.g. `vrrp-lab down` in another process). Nothing is
   * created; the caller becomes the run's owner for what it does next.
   */
  static async attach(runId: string, opts: { runsDir?: string; impl?: ImplementationAdapter } = {}): Promise<Lab> {
    const paths = runPaths(opts.runsDir ?? defaultRunsDir(), runId);
    const m = await readManifest(paths.manifest);
    const lab = new Lab(m.topology, runId, paths, buildPlan(m.topology, runId), new ManifestStore(paths.manifest, m), {
      ...opts,
      startNginx: false,
    });
    await lab.resolvePins();
    lab.makeHosts(m.anchors);
    lab.state = 'built';
    return lab;
  }

  /** Create everything. Idempotent: a second call on a built lab does nothing. */
  async build(): Promise<void> {
    if (this.state === 'built') return;
    if (this.state === 'destroyed') throw new VrrpLabError(`lab ${this.runId} was destroyed; build a new one`);
    await this.resolvePins();
    await this.clearDeadLeftovers();
    const p = this.plan;
    // Even short-lived commands carry the run tag: if we are SIGKILLed, an orphaned `ip -batch`
    // would go on creating namespaces, and clean() must be able to find and stop it first.
    const env = { [RUN_ENV]: this.runId };
    try {
      await mkdir(this.paths.root, { recursive: true });
      // The manifest lists every namespace BEFORE any is created (SIGKILL-safe cleanup).
      await this.store.update(() => {});
      await ipBatch(p.createNetns, { env });
      await ipBatch(p.createVeths, { env });
      await Promise.all([
        ipBatch(p.switchSetup, { netns: p.switchNetns, env }),
        ...Object.entries(p.hostSetup).map(([h, lines]) => ipBatch(lines, { netns: p.hostNetns[h], env })),
        ...Object.keys(p.hostNetns).map((h) => mkdir(this.paths.host(h), { recursive: true })),
        mkdir(this.paths.logs, { recursive: true }),
        mkdir(this.paths.captures, { recursive: true }),
      ]);
      await this.installSwitchFilters();
      await waitLinksReady(p);
      this.makeHosts(await this.startAnchors());
      this.state = 'built';
      if (this.opts.startNginx ?? true) await this.startNginx();
      await this.store.update((m) => {
        m.state = 'up';
      });
    } catch (err) {
      this.state = 'built';
      await this.destroy({ keepDir: false }).catch(() => {});
      throw err;
    }
  }

  private async startAnchors(): Promise<Record<string, number>> {
    const anchors: Record<string, number> = {};
    for (const [h, ns] of Object.entries(this.plan.hostNetns)) {
      anchors[h] = spawnDetached('sleep', ['infinity'], { netns: ns, env: { [RUN_ENV]: this.runId } });
    }
    await this.store.update((m) => {
      m.anchors = { ...anchors };
      for (const [h, pid] of Object.entries(anchors)) m.processes.push({ pid, role: 'anchor', host: h });
    });
    await Promise.all(Object.entries(anchors).map(([h, pid]) => waitAnchorInNetns(pid, this.plan.hostNetns[h] ?? '')));
    return anchors;
  }

  private makeHosts(anchors: Record<string, number>): void {
    const ctx = {
      runId: this.runId,
      env: { [RUN_ENV]: this.runId },
      spawn: (
        host: string,
        netns: string,
        cmd: string,
        args: readonly string[],
        o: { logFile: string; env?: Record<string, string>; role?: string },
      ) => this.spawnTagged(host, netns, cmd, args, o),
    };
    for (const spec of Object.values(this.topology.hosts)) {
      const links = this.plan.links.filter((l) => l.host === spec.name);
      const netns = this.plan.hostNetns[spec.name] ?? '';
      const h = new LabHost(
        spec,
        netns,
        anchors[spec.name] ?? -1,
        this.paths.host(spec.name),
        links,
        this.topology,
        this.plan.links,
        ctx,
      );
      this.attachNginx(h, spec);
      this.hosts[spec.name] = h;
    }
  }

  private async spawnTagged(
    host: string,
    netns: string,
    cmd: string,
    args: readonly string[],
    o: { logFile: string; env?: Record<string, string>; role?: string },
  ): Promise<number> {
    const pid = spawnDetached(cmd, args, { netns, logFile: o.logFile, env: { ...o.env, [RUN_ENV]: this.runId } });
    const startTime = (await readProcStat(pid))?.startTime;
    await this.store.update((m) => {
      m.processes.push({ pid, role: o.role ?? cmd, host, ...(startTime === undefined ? {} : { startTime }) });
    });
    return pid;
  }
}
