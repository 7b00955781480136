import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { VrrpLabError } from '../../../src/util/errors.js';
import { resolveAdapter } from '../../adapters/registry.js';
import type { AdapterHost, ImplementationAdapter } from '../../adapters/types.js';
import { readProcStat } from '../../platform/procfs.js';
import type { Topology, TopologyHost } from '../../topology/types.js';
import type { BuildPlan } from './build-plan.js';
import { Impairments } from './impairments/index.js';
import type { LabHost } from './lab-host.js';
import { type Manifest, type ManifestStore, readManifest } from './manifest.js';
import { nftTableName } from './names.js';
import { NginxHandle } from './nginx.js';
import type { RunPaths } from './run-dir.js';
import { isRunAlive } from './runs.js';
import { type DropCounters, installDropMulticast, readDropCounters } from './switch-filter.js';
import { teardownRun } from './teardown.js';

export interface RunLabOptions {
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

/** The adapter file an adapter was loaded from (LabAdapter.source), if any. */
function sourceOf(a: ImplementationAdapter | undefined): string | undefined {
  return (a as { source?: string } | undefined)?.source;
}

export interface DestroyOptions {
  /** Keep the run directory (logs, captures) after removing everything else. */
  keepDir?: boolean;
}

/**
 * What every backend's running topology shares: the run's identity and manifest, hosts, impairments,
 * switch filters, the implementation on the routers, and teardown. The netns Lab and the docker
 * backend's DockerLab differ only in how hosts come to exist (namespaces vs containers).
 */
export abstract class RunLab<H extends LabHost> implements AsyncDisposable {
  readonly hosts: Record<string, H> = {};
  readonly impair: Impairments;
  protected state: 'new' | 'built' | 'destroyed' = 'new';
  protected impl: ImplementationAdapter | undefined;
  protected implStarted = false;
  private readonly adapterHosts = new Map<string, AdapterHost>();
  /** Implementations the topology pins on some routers (mixed clusters), resolved by resolvePins(). */
  private readonly pinned = new Map<string, ImplementationAdapter>();

  protected constructor(
    readonly topology: Topology,
    readonly runId: string,
    readonly paths: RunPaths,
    readonly plan: BuildPlan,
    protected readonly store: ManifestStore,
    protected readonly opts: RunLabOptions,
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

  /** The manifest of a new run: it names every namespace before any exists (SIGKILL-safe cleanup). */
  protected static async newManifest(
    topology: Topology,
    runId: string,
    paths: RunPaths,
    plan: BuildPlan,
    opts: RunLabOptions,
  ): Promise<Manifest> {
    const owner = await readProcStat(process.pid);
    return {
      version: 1,
      runId,
      createdAt: new Date().toISOString(),
      dir: paths.root,
      topologyName: topology.name,
      ...(opts.topologyFile === undefined ? {} : { topologyFile: opts.topologyFile }),
      ...(opts.impl === undefined ? {} : { impl: opts.impl.name }),
      ...(sourceOf(opts.impl) === undefined ? {} : { implSource: sourceOf(opts.impl) }),
      owner: { pid: process.pid, startTime: owner?.startTime ?? 0 },
      persistent: false,
      state: 'building',
      netns: [plan.switchNetns, ...Object.values(plan.hostNetns)],
      switchNetns: plan.switchNetns,
      processes: [],
      anchors: {},
      topology,
    };
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

  host(name: string): H {
    const h = this.hosts[name];
    if (!h)
      throw new VrrpLabError(`no host "${name}" in lab ${this.runId} (hosts: ${Object.keys(this.hosts).join(', ')})`);
    return h;
  }

  routers(): H[] {
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

  /** The implementation of `host`: the one its topology entry pins, else the run's. */
  adapterFor(host: string): ImplementationAdapter | undefined {
    const pin = this.topology.hosts[host]?.impl;
    if (pin === undefined) return this.impl;
    const a = this.pinned.get(host);
    if (!a) throw new VrrpLabError(`host ${host} pins ${pin}, which was not resolved (resolvePins)`);
    return a;
  }

  /** Resolve the implementations the topology pins (before anything asks adapterFor()). */
  protected async resolvePins(): Promise<void> {
    for (const h of Object.values(this.topology.hosts)) {
      if (h.impl !== undefined && !this.pinned.has(h.name)) this.pinned.set(h.name, await resolveAdapter(h.impl));
    }
  }

  /** A run id can be reused once its previous run is dead: remove what that run left first. */
  protected async clearDeadLeftovers(): Promise<void> {
    const exists = await access(this.paths.root).then(
      () => true,
      () => false,
    );
    if (!exists) return;
    const old = await readManifest(this.paths.manifest).catch(() => undefined);
    if (old && (await isRunAlive(old))) throw new VrrpLabError(`run ${this.runId} exists and is alive (${this.dir})`);
    await this.removeBackendObjects();
    await teardownRun({ runId: this.runId, netns: old?.netns ?? [], dir: this.paths.root });
  }

  /** Objects a backend owns beyond namespaces, processes and the run directory (containers, images). */
  protected async removeBackendObjects(): Promise<void> {}

  protected async installSwitchFilters(): Promise<void> {
    const ports: Record<string, string[]> = {};
    for (const sw of Object.values(this.topology.switches)) {
      if (sw.dropMulticast) ports[sw.name] = this.plan.links.filter((l) => l.switch === sw.name).map((l) => l.port);
    }
    if (Object.keys(ports).length > 0)
      await installDropMulticast(this.plan.switchNetns, nftTableName(this.runId), ports);
  }

  /** nginx for a host with `nginx: true`, bound to its address and VIPs, started through the host. */
  protected attachNginx(h: H, spec: TopologyHost): void {
    if (!spec.nginx) return;
    h.nginx = new NginxHandle({
      host: spec.name,
      netns: h.netns,
      dir: join(h.dir, 'nginx'),
      address: h.address,
      vips: spec.vrrp.flatMap((v) => v.vips.map((x) => x.split('/')[0] ?? x)),
      anchorPid: h.anchorPid,
      spawn: (cmd, args, logFile) => h.spawn(cmd, args, { logFile, role: 'nginx' }),
    });
  }

  /** Start nginx on every host with `nginx: true` (before the implementation: docs/quirks.md Q14). */
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
      m.implSource = sourceOf(impl);
    });
    await Promise.all(routers.map((h) => this.adapterFor(h.name)?.render(this.adapterHost(h.name))));
    this.implStarted = true;
    await Promise.all(routers.map((h) => this.adapterFor(h.name)?.start(this.adapterHost(h.name))));
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
    await this.teardown(opts);
    if (opts.keepDir) {
      await this.store
        .update((m) => {
          m.state = 'kept';
        })
        .catch(() => {});
    }
  }

  /** Stragglers by run tag or namespace, the namespaces, the directory (unless kept). */
  protected async teardown(opts: DestroyOptions): Promise<void> {
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
