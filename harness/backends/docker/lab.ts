import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { CommandError, VrrpLabError } from '../../../src/util/errors.js';
import { packageRoot } from '../../../src/util/package-info.js';
import { readProcStat } from '../../platform/procfs.js';
import { ipBatch, type RunResult } from '../../platform/run.js';
import type { Topology } from '../../topology/types.js';
import { type BuildPlan, buildPlan } from '../netns/build-plan.js';
import { type HostContext, LabHost } from '../netns/lab-host.js';
import { ManifestStore } from '../netns/manifest.js';
import { isRunId, newRunId, RUN_ENV } from '../netns/names.js';
import { defaultRunsDir, type RunPaths, runPaths } from '../netns/run-dir.js';
import { type DestroyOptions, RunLab, type RunLabOptions } from '../netns/run-lab.js';
import { ExecAgent } from './agent.js';
import { requireEngine } from './engine.js';
import { buildBaseImage } from './image.js';
import { containerName, imageRef, LABEL_HOST, LABEL_OWNER, LABEL_RUN_DIR, LABEL_RUN_ID, ownerLabel } from './names.js';
import { type HostContainerSpec, startHostContainer } from './testcontainers.js';

export interface DockerLabOptions extends RunLabOptions {
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

  /** All of the container's namespaces (mounts, pids, net), entered through its init process. */
  override shellPrefix(): string[] {
    return ['nsenter', '-t', String(this.anchorPid), '-a'];
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
export class DockerLab extends RunLab<DockerHost> {
  private readonly containers = new Map<string, Docker.Container>();

  private constructor(
    topology: Topology,
    runId: string,
    paths: RunPaths,
    plan: BuildPlan,
    store: ManifestStore,
    private readonly docker: Docker,
    private readonly owner: string,
    opts: DockerLabOptions,
  ) {
    super(topology, runId, paths, plan, store, opts);
  }

  static async build(topology: Topology, opts: DockerLabOptions = {}): Promise<DockerLab> {
    const docker = opts.docker ?? (await requireEngine());
    const runId = opts.runId ?? newRunId();
    if (!isRunId(runId)) throw new VrrpLabError(`invalid run id "${runId}": 6 characters [a-z0-9]`);
    const paths = runPaths(opts.runsDir ?? defaultRunsDir(), runId);
    const plan = buildPlan(topology, runId);
    const me = await readProcStat(process.pid);
    // The attached container namespaces carry the netns backend's host names, so the same teardown
    // (and `vrrp-lab clean` for a crashed run) removes them.
    const manifest = { ...(await RunLab.newManifest(topology, runId, paths, plan, opts)), backend: 'docker' as const };
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

  container(name: string): Docker.Container {
    const c = this.containers.get(name);
    if (!c) throw new VrrpLabError(`no container for host "${name}" in lab ${this.runId}`);
    return c;
  }

  private labels(extra: Record<string, string> = {}): Record<string, string> {
    return { [LABEL_RUN_ID]: this.runId, [LABEL_RUN_DIR]: this.paths.root, [LABEL_OWNER]: this.owner, ...extra };
  }

  private async build(): Promise<void> {
    await this.resolvePins();
    await this.clearDeadLeftovers();
    const p = this.plan;
    const env = { [RUN_ENV]: this.runId };
    try {
      await mkdir(this.paths.root, { recursive: true });
      // The manifest names every namespace before any exists (SIGKILL-safe cleanup), as in the netns backend.
      await this.store.update(() => {});
      await Promise.all([
        buildBaseImage(this.docker, imageRef(this.runId), this.labels()),
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

  protected override async removeBackendObjects(): Promise<void> {
    await removeRunObjects(this.docker, this.runId);
  }

  /**
   * The container of one host. Why each setting:
   * - NetworkMode none: the harness wires the netns itself (no Docker bridge in the root netns).
   * - PidMode host: pids in daemons' pid files and AdapterHost.spawn's result are root-namespace pids,
   *   which the adapters signal and the observers read /proc/<pid> of, as on the netns backend.
   * - /usr read-only from the host + tmpfs /run: see image.ts and docker-ci.md (a stale pid file in a
   *   persistent /run stops a restarted keepalived).
   * - The run directory at the same path: adapters write configs and read pid files under host.dir.
   * - The repository read-only at the same path: vrrpd is dist/vrrpd.cjs of this checkout.
   * - NET_ADMIN, NET_RAW: VIPs, macvlans, raw VRRP sockets. SYS_ADMIN for FRR only: its start script makes a
   *   private mount namespace (unshare -m, mount) so FRR writes nothing outside the run directory.
   * - No masked or read-only /proc paths (the CLI's --security-opt systempaths=unconfined): /proc/sys
   *   writable, for per-netns sysctls (FRR's arp_ignore/arp_announce on the container's interface).
   * - The init (sleep infinity) is the host's anchor and carries the run tag, so a crashed owner's
   *   `vrrp-lab clean` finds it like any process of the run.
   */
  private containerSpec(host: string): HostContainerSpec {
    const repo = packageRoot();
    const caps = ['NET_ADMIN', 'NET_RAW', ...(this.impl?.name === 'frr' ? ['SYS_ADMIN'] : [])];
    return {
      image: imageRef(this.runId),
      name: containerName(this.runId, host),
      hostname: host,
      command: ['sleep', 'infinity'],
      env: { PATH, [RUN_ENV]: this.runId },
      labels: this.labels({ [LABEL_HOST]: host }),
      binds: [
        { source: '/usr', target: '/usr', mode: 'ro' },
        { source: this.paths.root, target: this.paths.root, mode: 'rw' },
        { source: repo, target: repo, mode: 'ro' },
      ],
      tmpfs: { '/run': 'rw,mode=755' },
      capabilities: caps,
      hostConfig: {
        PidMode: 'host',
        // Docker disables IPv6 in a container without an IPv6 network; the topologies use it (veths
        // moved in later inherit `default`).
        Sysctls: { 'net.ipv6.conf.all.disable_ipv6': '0', 'net.ipv6.conf.default.disable_ipv6': '0' },
        MaskedPaths: [],
        ReadonlyPaths: [],
      },
      // Ready = the host's /usr is mounted and exec works (the exec agent starts through it next).
      readyCommand: ['ip', 'link', 'show', 'lo'],
    };
  }

  /** Create and start every container; returns host → init pid (root pid namespace). */
  private async startContainers(): Promise<Record<string, number>> {
    const anchors: Record<string, number> = {};
    await Promise.all(
      Object.keys(this.plan.hostNetns).map(async (h) => {
        const started = await startHostContainer(this.docker, this.containerSpec(h));
        // dockerode for what testcontainers has no API for: the detached exec of the agent, the init's pid.
        const c = this.docker.getContainer(started.getId());
        this.containers.set(h, c);
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
      this.attachNginx(h, spec);
      this.hosts[spec.name] = h;
    }
  }

  /**
   * Containers first (the engine stops everything in them), then what the netns teardown knows: stragglers
   * by run tag or namespace, the attached names and the switch netns, the directory; the image last.
   */
  protected override async teardown(opts: DestroyOptions): Promise<void> {
    await removeRunObjects(this.docker, this.runId, { keepImage: true });
    await super.teardown(opts);
    await removeRunObjects(this.docker, this.runId);
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
  // The build leaves a labelled intermediate image per step after the Dockerfile's LABEL (testcontainers
  // adds its own LABEL steps); a parent cannot go before its child. Remove the leaves: the engine prunes
  // their untagged parents; repeat for what a half-finished build left.
  for (let round = 0; round < 8; round++) {
    const images = await docker.listImages({ all: true, filters });
    if (images.length === 0) return;
    const parents = new Set(images.map((i) => i.ParentId));
    const leaves = images.filter((i) => !parents.has(i.Id));
    await Promise.all(
      leaves.map((i) =>
        docker
          .getImage(i.Id)
          .remove({ force: true })
          .catch((err: unknown) => {
            if (!isNotFound(err)) throw err;
          }),
      ),
    );
  }
}
