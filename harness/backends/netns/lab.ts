import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { VrrpLabError } from '../../../src/util/errors.js';
import { getAdapter } from '../../adapters/registry.js';
import type { AdapterHost, ImplementationAdapter } from '../../adapters/types.js';
import { readProcStat } from '../../platform/procfs.js';
import { ipBatch } from '../../platform/run.js';
import { spawnDetached } from '../../platform/spawn-detached.js';
import type { Topology } from '../../topology/types.js';
import { waitAnchorInNetns } from './anchor.js';
import { type BuildPlan, buildPlan } from './build-plan.js';
import { Impairments } from './impairments/index.js';
import { LabHost } from './lab-host.js';
import { type Manifest, ManifestStore, readManifest } from './manifest.js';
import { isRunId, newRunId, nftTableName, RUN_ENV } from './names.js';
import { NginxHandle } from './nginx.js';
import { defaultRunsDir, type RunPaths, runPaths } from './run-dir.js';
import { isRunAlive } from './runs.js';
import { type DropCounters, installDropMulticast, readDropCounters } from './switch-filter.js';
import { teardownRun } from './teardown.js';

export interface LabOptions {
  /** 6 characters [a-z0-9]; generated when absent. */
  runId?: string;
  /** Parent of the run directory (default $VRRPLAB_RUNS_DIR or /run/vrrp-lab). */
  runsDir?: string;
  /** The implementation startImplementation() runs (may also be passed there). */
  impl?: ImplementationAdapter;
  /** Recorded in the manifest for `vrrp-lab ls`. */
  topologyFile?: string;
  /** Start nginx on hosts with `nginx: true` during build (default true). */
  startNginx?: boolean;
}

export interface DestroyOptions {
  /** Keep the run directory (logs, captures) after removing everything else. */
  keepDir?: boolean;
}

/**
 * A topology running in network namespaces. `Lab.build()` creates it; destroy() (or `await using`)
 * removes it. Both are idempotent; a crashed owner's leftovers are removed by cleanDeadRuns().
 */
export class Lab implements AsyncDisposable {
  readonly hosts: Record<string, LabHost> = {};
  readonly impair: Impairments;
  private state: 'new' | 'built' | 'destroyed' = 'new';
  private adapterHosts = new Map<string, AdapterHost>();
  private impl: ImplementationAdapter | undefined;
  private implStarted = false;

  private constructor(
    readonly topology: Topology,
    readonly runId: string,
    readonly paths: RunPaths,
    readonly plan: BuildPlan,
    private readonly store: ManifestStore,
    private readonly opts: LabOptions,
  ) {
    this.impl = opts.impl;
    this.impair = new Impairments({
      runId,
      switchNetns: plan.switchNetns,
      target: (host, ifname) => {
        const h = this.host(host);
        return {
          host,
          hostNetns: h.netns,
          switchNetns: plan.switchNetns,
          link: h.link(ifname),
          nftTablePrefix: nftTableName(runId, ''),
        };
      },
      ports: (host) => this.host(host).links.map((l) => l.port),
      adapter: (host) => this.adapterFor(host),
      adapterHost: (host) => this.adapterHost(host),
    });
  }

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
    const owner = await readProcStat(process.pid);
    const manifest: Manifest = {
      version: 1,
      runId,
      createdAt: new Date().toISOString(),
      dir: paths.root,
      topologyName: topology.name,
      ...(opts.topologyFile === undefined ? {} : { topologyFile: opts.topologyFile }),
      ...(opts.impl === undefined ? {} : { impl: opts.impl.name }),
      owner: { pid: process.pid, startTime: owner?.startTime ?? 0 },
      persistent: false,
      state: 'building',
      netns: [plan.switchNetns, ...Object.values(plan.hostNetns)],
      switchNetns: plan.switchNetns,
      processes: [],
      anchors: {},
      topology,
    };
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
    lab.makeHosts(m.anchors);
    lab.state = 'built';
    return lab;
  }

  get dir(): string {
    return this.paths.root;
  }

  get switchNetns(): string {
    return this.plan.switchNetns;
  }

  get manifest(): Readonly<Manifest> {
    return this.store.value;
  }

  get implementation(): ImplementationAdapter | undefined {
    return this.impl;
  }

  host(name: string): LabHost {
    const h = this.hosts[name];
    if (!h)
      throw new VrrpLabError(`no host "${name}" in lab ${this.runId} (hosts: ${Object.keys(this.hosts).join(', ')})`);
    return h;
  }

  routers(): LabHost[] {
    return Object.values(this.hosts).filter((h) => h.role === 'router');
  }

  /** The AdapterHost of a host (one object per host, so adapters may keep per-host state on it). */
  adapterHost(name: string): AdapterHost {
    let ah = this.adapterHosts.get(name);
    if (!ah) {
      ah = this.host(name).adapterHost();
      this.adapterHosts.set(name, ah);
    }
    return ah;
  }

  /** Create everything. Idempotent: a second call on a built lab does nothing. */
  async build(): Promise<void> {
    if (this.state === 'built') return;
    if (this.state === 'destroyed') throw new VrrpLabError(`lab ${this.runId} was destroyed; build a new one`);
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

  /** A run id can be reused once its previous run is dead: remove what that run left first. */
  private async clearDeadLeftovers(): Promise<void> {
    const exists = await access(this.paths.root).then(
      () => true,
      () => false,
    );
    if (!exists) return;
    const old = await readManifest(this.paths.manifest).catch(() => undefined);
    if (old && (await isRunAlive(old))) throw new VrrpLabError(`run ${this.runId} exists and is alive (${this.dir})`);
    await teardownRun({ runId: this.runId, netns: old?.netns ?? [], dir: this.paths.root });
  }

  private async installSwitchFilters(): Promise<void> {
    const ports: Record<string, string[]> = {};
    for (const sw of Object.values(this.topology.switches)) {
      if (sw.dropMulticast) ports[sw.name] = this.plan.links.filter((l) => l.switch === sw.name).map((l) => l.port);
    }
    if (Object.keys(ports).length > 0)
      await installDropMulticast(this.plan.switchNetns, nftTableName(this.runId), ports);
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
      if (spec.nginx) {
        h.nginx = new NginxHandle({
          host: spec.name,
          netns,
          dir: join(h.dir, 'nginx'),
          address: h.address,
          vips: spec.vrrp.flatMap((v) => v.vips.map((x) => x.split('/')[0] ?? x)),
          anchorPid: h.anchorPid,
          spawn: (cmd, args, logFile) => h.spawn(cmd, args, { logFile, role: 'nginx' }),
        });
      }
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

  /** Start nginx on every host with `nginx: true` (before the implementation: lab-notes gotcha 14). */
  async startNginx(): Promise<void> {
    await Promise.all(Object.values(this.hosts).map((h) => h.nginx?.start()));
  }

  /**
   * Render and start the implementation on every router. Throws before starting anything when the
   * implementation cannot express a setting (adapter.unsupported()).
   */
  async startImplementation(adapter?: ImplementationAdapter): Promise<void> {
    const impl = adapter ?? this.impl;
    if (!impl) throw new VrrpLabError('no implementation adapter given');
    this.impl = impl;
    const routers = this.routers();
    const problems = routers.flatMap((h) => {
      const a = this.adapterFor(h.name) as ImplementationAdapter;
      return a.unsupported(this.adapterHost(h.name)).map((p) => `${h.name} (${a.name}): ${p}`);
    });
    if (problems.length > 0) {
      throw new VrrpLabError(`${impl.name} cannot run this topology:\n${problems.join('\n')}`);
    }
    await this.store.update((m) => {
      m.impl = impl.name;
    });
    await Promise.all(routers.map((h) => this.adapterFor(h.name)?.render(this.adapterHost(h.name))));
    this.implStarted = true;
    await Promise.all(routers.map((h) => this.adapterFor(h.name)?.start(this.adapterHost(h.name))));
  }

  /** The implementation of `host`: the one its topology entry pins, else the run's. */
  adapterFor(host: string): ImplementationAdapter | undefined {
    const pinned = this.topology.hosts[host]?.impl;
    return pinned ? getAdapter(pinned) : this.impl;
  }

  /** Graceful stop of the implementation on every router (priority-0 adverts). */
  async stopImplementation(): Promise<void> {
    const impl = this.impl;
    if (!impl || !this.implStarted) return;
    await Promise.all(this.routers().map((h) => (this.adapterFor(h.name) ?? impl).stop(this.adapterHost(h.name))));
    this.implStarted = false;
  }

  /** Mark the implementation as started by someone else (attach + down). */
  adoptImplementation(adapter: ImplementationAdapter): void {
    this.impl = adapter;
    this.implStarted = true;
  }

  /** Dropped VRRP multicast per switch with `dropMulticast` (empty when none drops). */
  async dropCounters(): Promise<Record<string, DropCounters>> {
    if (!Object.values(this.topology.switches).some((s) => s.dropMulticast)) return {};
    return readDropCounters(this.plan.switchNetns, nftTableName(this.runId));
  }

  /** Keep the run after this process exits (`vrrp-lab up`); `down`/destroy() still remove it. */
  async persist(): Promise<void> {
    await this.store.update((m) => {
      m.persistent = true;
    });
  }

  /** Remove everything of the run. Idempotent. */
  async destroy(opts: DestroyOptions = {}): Promise<void> {
    if (this.state === 'destroyed') return;
    if (this.state === 'new') {
      this.state = 'destroyed';
      return;
    }
    const owner = await readProcStat(process.pid);
    // Mark first, with us as owner: if we die mid-way the run is dead and clean() finishes it.
    await this.store
      .update((m) => {
        m.state = 'destroying';
        m.persistent = false;
        m.owner = { pid: process.pid, startTime: owner?.startTime ?? 0 };
      })
      .catch(() => {});
    this.state = 'destroyed';
    // Stops flapping loops; the rest would vanish with the namespaces anyway.
    await this.impair.undoAll({ ignoreErrors: true });
    await teardownRun({
      runId: this.runId,
      netns: this.store.value.netns,
      ...(opts.keepDir ? {} : { dir: this.paths.root }),
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.destroy();
  }
}
