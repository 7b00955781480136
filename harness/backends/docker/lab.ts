import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { CommandError, VrrpLabError } from '../../../src/util/errors.js';
import type { AdapterHost, ImplementationAdapter } from '../../adapters/types.js';
import { repoRoot } from '../../adapters/vrrpd.js';
import { readProcStat } from '../../platform/procfs.js';
import { ipBatch, type RunResult } from '../../platform/run.js';
import type { Topology } from '../../topology/types.js';
import { type BuildPlan, buildPlan } from '../netns/build-plan.js';
import { Impairments } from '../netns/impairments/index.js';
import { type HostContext, LabHost } from '../netns/lab-host.js';
import { type Manifest, ManifestStore, readManifest } from '../netns/manifest.js';
import { isRunId, newRunId, nftTableName, RUN_ENV } from '../netns/names.js';
import { NginxHandle } from '../netns/nginx.js';
import { defaultRunsDir, type RunPaths, runPaths } from '../netns/run-dir.js';
import { isRunAlive } from '../netns/runs.js';
import { installDropMulticast } from '../netns/switch-filter.js';
import { teardownRun } from '../netns/teardown.js';
import { ExecAgent } from './agent.js';
import { requireEngine } from './engine.js';
import { importBaseImage } from './image.js';
import { containerName, imageRef, LABEL_HOST, LABEL_OWNER, LABEL_RUN_DIR, LABEL_RUN_ID, ownerLabel } from './names.js';

export interface DockerLabOptions {
  /** 6 characters [a-z0-9]; generated when absent. */
  runId?: string;
  /** Parent of the run directory (default $VRRPLAB_RUNS_DIR or /run/vrrp-lab). */
  runsDir?: string;
  /** The implementation that will run (FRR needs one more capability, see containerConfig()). */
  impl?: ImplementationAdapter;
  /** Start nginx on hosts with `nginx: true` during build (default true). */
  startNginx?: boolean;
  /** Engine to use (default: requireEngine()). */
  docker?: Docker;
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * A host whose processes run in its container: exec/spawn go through the container's exec agent (so the
 * adapters' daemons live inside the container), while the harness's own probes (ip -n, tc, nft, the
 * /proc/<pid>/net reads of the observers) use the container's netns from the host, attached under the
 * same name the netns backend gives a host namespace.
 */
export class DockerHost extends LabHost {
  constructor(
    base: ConstructorParameters<typeof LabHost>,
    readonly container: Docker.Container,
    readonly agent: ExecAgent,
    private readonly tag: Record<string, string>,
  ) {
    super(...base);
  }

  override async exec(
    cmd: string,
    args: string[],
    opts: { env?: Record<string, string>; input?: string } = {},
  ): Promise<RunResult> {
    const r = await this.execStatus(cmd, args, opts);
    if (r.exitCode !== 0) throw new CommandError(cmd, args, r.exitCode, r.stderr, this.netns);
    return { stdout: r.stdout, stderr: r.stderr };
  }

  override execStatus(cmd: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}) {
    return this.agent.execStatus(cmd, args, { ...opts, env: { ...this.tag, ...opts.env } });
  }
}

/**
 * A topology running in Docker containers: one container per host (`vl-<rid>-<host>`, `--network none`),
 * wired exactly like the netns backend. Bridges live in a per-run switch netns (never in the root netns,
 * where bridge-nf-call-iptables=1 would filter them), and each veth pair goes directly between the switch
 * netns and a container's netns (containerlab's way). The build plan, switch filters, impairments,
 * nginx, manifest and teardown are the netns backend's.
 */
export class DockerLab implements AsyncDisposable {
  readonly hosts: Record<string, DockerHost> = {};
  readonly impair: Impairments;
  private state: 'new' | 'built' | 'destroyed' = 'new';
  private readonly adapterHosts = new Map<string, AdapterHost>();
  private readonly containers = new Map<string, Docker.Container>();
  private impl: ImplementationAdapter | undefined;
  private implStarted = false;

  private constructor(
    readonly topology: Topology,
    readonly runId: string,
    readonly paths: RunPaths,
    readonly plan: BuildPlan,
    private readonly store: ManifestStore,
    private readonly docker: Docker,
    private readonly owner: string,
    private readonly opts: DockerLabOptions,
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
      adapter: () => this.impl,
      adapterHost: (host) => this.adapterHost(host),
    });
  }

  static async build(topology: Topology, opts: DockerLabOptions = {}): Promise<DockerLab> {
    const docker = opts.docker ?? (await requireEngine());
    const runId = opts.runId ?? newRunId();
    if (!isRunId(runId)) throw new VrrpLabError(`invalid run id "${runId}": 6 characters [a-z0-9]`);
    const paths = runPaths(opts.runsDir ?? defaultRunsDir(), runId);
    const plan = buildPlan(topology, runId);
    const me = await readProcStat(process.pid);
    const manifest: Manifest = {
      version: 1,
      runId,
      createdAt: new Date().toISOString(),
      dir: paths.root,
      topologyName: topology.name,
      ...(opts.impl === undefined ? {} : { impl: opts.impl.name }),
      owner: { pid: process.pid, startTime: me?.startTime ?? 0 },
      persistent: false,
      state: 'building',
      // The attached container namespaces carry the netns backend's host names, so the same teardown
      // (and `vrrp-lab clean` for a crashed run) removes them.
      netns: [plan.switchNetns, ...Object.values(plan.hostNetns)],
      switchNetns: plan.switchNetns,
      processes: [],
      anchors: {},
      topology,
    };
    const lab = new DockerLab(
      topology,
      runId,
      paths,
      plan,
      new ManifestStore(paths.manifest, manifest),
      docker,
      ownerLabel(process.pid, me?.startTime ?? 0),
      opts,
    );
    await lab.build();
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

  host(name: string): DockerHost {
    const h = this.hosts[name];
    if (!h)
      throw new VrrpLabError(`no host "${name}" in lab ${this.runId} (hosts: ${Object.keys(this.hosts).join(', ')})`);
    return h;
  }

  routers(): DockerHost[] {
    return Object.values(this.hosts).filter((h) => h.role === 'router');
  }

  container(name: string): Docker.Container {
    const c = this.containers.get(name);
    if (!c) throw new VrrpLabError(`no container for host "${name}" in lab ${this.runId}`);
    return c;
  }

  /** One AdapterHost per host, so adapters may keep per-host state on it. */
  adapterHost(name: string): AdapterHost {
    let ah = this.adapterHosts.get(name);
    if (!ah) {
      ah = this.host(name).adapterHost();
      this.adapterHosts.set(name, ah);
    }
    return ah;
  }

  private labels(extra: Record<string, string> = {}): Record<string, string> {
    return { [LABEL_RUN_ID]: this.runId, [LABEL_RUN_DIR]: this.paths.root, [LABEL_OWNER]: this.owner, ...extra };
  }

  private async build(): Promise<void> {
    await this.clearDeadLeftovers();
    const p = this.plan;
    const env = { [RUN_ENV]: this.runId };
    try {
      await mkdir(this.paths.root, { recursive: true });
      // The manifest names every namespace before any exists (SIGKILL-safe cleanup), as in the netns backend.
      await this.store.update(() => {});
      await Promise.all([
        importBaseImage(this.docker, imageRef(this.runId), this.labels()),
        ipBatch([`netns add ${p.switchNetns}`], { env }),
        ...Object.keys(p.hostNetns).map((h) => mkdir(this.paths.host(h), { recursive: true })),
        mkdir(this.paths.logs, { recursive: true }),
        mkdir(this.paths.captures, { recursive: true }),
      ]);
      const anchors = await this.startContainers();
      // The agents (node start-up, ~0.5 s) come up while the links are wired.
      const [agents] = await Promise.all([this.startAgents(), this.wire(anchors)]);
      await this.installSwitchFilters();
      this.makeHosts(anchors, agents);
      this.state = 'built';
      if (this.opts.startNginx ?? true) await Promise.all(Object.values(this.hosts).map((h) => h.nginx?.start()));
      await this.store.update((m) => {
        m.state = 'up';
      });
    } catch (err) {
      this.state = 'built';
      await this.destroy({ keepDir: false }).catch(() => {});
      throw err;
    }
  }

  /** A reused run id: remove what its dead previous run left first (refuse if it is alive). */
  private async clearDeadLeftovers(): Promise<void> {
    const exists = await access(this.paths.root).then(
      () => true,
      () => false,
    );
    if (!exists) return;
    const old = await readManifest(this.paths.manifest).catch(() => undefined);
    if (old && (await isRunAlive(old))) throw new VrrpLabError(`run ${this.runId} exists and is alive (${this.dir})`);
    await removeRunObjects(this.docker, this.runId);
    await teardownRun({ runId: this.runId, netns: old?.netns ?? [], dir: this.paths.root });
  }

  /**
   * The container of one host. Why each setting:
   * - NetworkMode none: the harness wires the netns itself (no Docker bridge in the root netns).
   * - PidMode host: pids in daemons' pid files and AdapterHost.spawn's result are root-namespace pids,
   *   which the adapters signal and the observers read /proc/<pid> of, as on the netns backend.
   * - /usr read-only from the host + tmpfs /run: see image.ts and docker-ci.md (a stale pid file in a
   *   persistent /run stops a restarted keepalived).
   * - The run directory at the same path: adapters write configs and read pid files under host.dir.
   * - The repository read-only at the same path: vrrpd is dist/src/cli/vrrpd.js of this checkout.
   * - NET_ADMIN, NET_RAW: VIPs, macvlans, raw VRRP sockets. SYS_ADMIN for FRR only: its start script makes a
   *   private mount namespace (unshare -m, mount) so FRR writes nothing outside the run directory.
   * - No masked or read-only /proc paths (the CLI's --security-opt systempaths=unconfined): /proc/sys
   *   writable, for per-netns sysctls (FRR's arp_ignore/arp_announce on the container's interface).
   * - The init (sleep infinity) is the host's anchor and carries the run tag, so a crashed owner's
   *   `vrrp-lab clean` finds it like any process of the run.
   */
  private containerConfig(host: string): Docker.ContainerCreateOptions {
    const repo = repoRoot();
    const caps = ['NET_ADMIN', 'NET_RAW', ...(this.impl?.name === 'frr' ? ['SYS_ADMIN'] : [])];
    return {
      name: containerName(this.runId, host),
      Image: imageRef(this.runId),
      Cmd: ['sleep', 'infinity'],
      Hostname: host,
      Env: [`PATH=${PATH}`, `${RUN_ENV}=${this.runId}`],
      Labels: this.labels({ [LABEL_HOST]: host }),
      HostConfig: {
        NetworkMode: 'none',
        PidMode: 'host',
        Binds: ['/usr:/usr:ro', `${this.paths.root}:${this.paths.root}`, `${repo}:${repo}:ro`],
        Tmpfs: { '/run': 'rw,mode=755' },
        CapAdd: caps,
        // Docker disables IPv6 in a container without an IPv6 network; the topologies use it (veths
        // moved in later inherit `default`).
        Sysctls: { 'net.ipv6.conf.all.disable_ipv6': '0', 'net.ipv6.conf.default.disable_ipv6': '0' },
        MaskedPaths: [],
        ReadonlyPaths: [],
      },
    };
  }

  /** Create and start every container; returns host → init pid (root pid namespace). */
  private async startContainers(): Promise<Record<string, number>> {
    const anchors: Record<string, number> = {};
    await Promise.all(
      Object.keys(this.plan.hostNetns).map(async (h) => {
        const c = await this.docker.createContainer(this.containerConfig(h));
        this.containers.set(h, c);
        await c.start();
        const info = await c.inspect();
        if (!info.State.Running || !info.State.Pid) {
          throw new VrrpLabError(`container ${containerName(this.runId, h)} is not running (${info.State.Status})`);
        }
        anchors[h] = info.State.Pid;
      }),
    );
    await this.store.update((m) => {
      m.anchors = { ...anchors };
      for (const [h, pid] of Object.entries(anchors)) m.processes.push({ pid, role: 'anchor', host: h });
    });
    return anchors;
  }

  /**
   * Attach each container's netns under its host name (`ip netns attach` bind-mounts /proc/<pid>/ns/net
   * to /run/netns/<name>: from then on `ip -n`, `ip netns exec`, tc and nft reach it like a netns-backend
   * host), then the netns backend's veths, bridges and addresses.
   */
  private async wire(anchors: Record<string, number>): Promise<void> {
    const p = this.plan;
    const env = { [RUN_ENV]: this.runId };
    await ipBatch(
      Object.entries(p.hostNetns).map(([h, ns]) => `netns attach ${ns} ${anchors[h]}`),
      { env },
    );
    await ipBatch(p.createVeths, { env });
    await Promise.all([
      ipBatch(p.switchSetup, { netns: p.switchNetns, env }),
      ...Object.entries(p.hostSetup).map(([h, lines]) => ipBatch(lines, { netns: p.hostNetns[h], env })),
    ]);
  }

  /** One exec agent per container (see agent.ts: `docker exec` is too slow and jittery per command). */
  private async startAgents(): Promise<Record<string, ExecAgent>> {
    const agents: Record<string, ExecAgent> = {};
    await Promise.all(
      Object.keys(this.plan.hostNetns).map(async (h) => {
        const dir = this.paths.host(h);
        const agent = await ExecAgent.start(this.container(h), {
          socket: join(dir, '.agent.sock'),
          logFile: join(dir, '.agent.log'),
          pidFile: join(dir, '.agent.pid'),
          env: { [RUN_ENV]: this.runId },
        });
        agents[h] = agent;
        await this.store.update((m) => {
          m.processes.push({ pid: agent.pid, role: 'agent', host: h });
        });
      }),
    );
    return agents;
  }

  private async installSwitchFilters(): Promise<void> {
    const ports: Record<string, string[]> = {};
    for (const sw of Object.values(this.topology.switches)) {
      if (sw.dropMulticast) ports[sw.name] = this.plan.links.filter((l) => l.switch === sw.name).map((l) => l.port);
    }
    if (Object.keys(ports).length > 0)
      await installDropMulticast(this.plan.switchNetns, nftTableName(this.runId), ports);
  }

  private makeHosts(anchors: Record<string, number>, agents: Record<string, ExecAgent>): void {
    const tag = { [RUN_ENV]: this.runId };
    for (const spec of Object.values(this.topology.hosts)) {
      const container = this.container(spec.name);
      const agent = agents[spec.name];
      if (!agent) throw new VrrpLabError(`no exec agent for host ${spec.name}`);
      const ctx: HostContext = {
        runId: this.runId,
        env: tag,
        spawn: async (host, _netns, cmd, args, o) => {
          const pid = await agent.spawn(cmd, args, { logFile: o.logFile, env: { ...o.env, ...tag } });
          const startTime = (await readProcStat(pid))?.startTime;
          await this.store.update((m) => {
            m.processes.push({ pid, role: o.role ?? cmd, host, ...(startTime === undefined ? {} : { startTime }) });
          });
          return pid;
        },
      };
      const links = this.plan.links.filter((l) => l.host === spec.name);
      const netns = this.plan.hostNetns[spec.name] ?? '';
      const h = new DockerHost(
        [spec, netns, anchors[spec.name] ?? -1, this.paths.host(spec.name), links, this.topology, this.plan.links, ctx],
        container,
        agent,
        tag,
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

  /** Render and start the implementation on every router (refuses settings it cannot express). */
  async startImplementation(adapter?: ImplementationAdapter): Promise<void> {
    const impl = adapter ?? this.impl;
    if (!impl) throw new VrrpLabError('no implementation adapter given');
    this.impl = impl;
    const routers = this.routers();
    const problems = routers.flatMap((h) => impl.unsupported(this.adapterHost(h.name)).map((p) => `${h.name}: ${p}`));
    if (problems.length > 0) throw new VrrpLabError(`${impl.name} cannot run this topology:\n${problems.join('\n')}`);
    await this.store.update((m) => {
      m.impl = impl.name;
    });
    await Promise.all(routers.map((h) => impl.render(this.adapterHost(h.name))));
    this.implStarted = true;
    await Promise.all(routers.map((h) => impl.start(this.adapterHost(h.name))));
  }

  async stopImplementation(): Promise<void> {
    const impl = this.impl;
    if (!impl || !this.implStarted) return;
    await Promise.all(this.routers().map((h) => impl.stop(this.adapterHost(h.name))));
    this.implStarted = false;
  }

  /** Remove everything of the run (containers, image, namespaces, processes, directory). Idempotent. */
  async destroy(opts: { keepDir?: boolean } = {}): Promise<void> {
    if (this.state === 'destroyed') return;
    if (this.state === 'new') {
      this.state = 'destroyed';
      return;
    }
    const me = await readProcStat(process.pid);
    await this.store
      .update((m) => {
        m.state = 'destroying';
        m.persistent = false;
        m.owner = { pid: process.pid, startTime: me?.startTime ?? 0 };
      })
      .catch(() => {});
    this.state = 'destroyed';
    await this.impair.undoAll({ ignoreErrors: true });
    // Containers first (the engine stops everything in them), then what the netns teardown knows:
    // stragglers by run tag or namespace, the attached names and the switch netns, the directory.
    await removeRunObjects(this.docker, this.runId, { keepImage: true });
    await teardownRun({
      runId: this.runId,
      netns: this.store.value.netns,
      ...(opts.keepDir ? {} : { dir: this.paths.root }),
    });
    await removeRunObjects(this.docker, this.runId);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.destroy();
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

/**
 * Remove the containers and image labelled with one run id (only that label: never a sweep by name).
 * `keepImage` leaves the image for a second pass, after the containers using it are gone.
 */
export async function removeRunObjects(docker: Docker, runId: string, o: { keepImage?: boolean } = {}): Promise<void> {
  const filters = { label: [`${LABEL_RUN_ID}=${runId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((err: unknown) => {
          // 409 = removal already in progress (a concurrent cleanup); 404 = already gone.
          if (!isNotFound(err) && (err as { statusCode?: number }).statusCode !== 409) throw err;
        }),
    ),
  );
  if (o.keepImage) return;
  const images = await docker.listImages({ all: true, filters });
  await Promise.all(
    images.map((i) =>
      docker
        .getImage(i.Id)
        .remove({ force: true })
        .catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        }),
    ),
  );
}
