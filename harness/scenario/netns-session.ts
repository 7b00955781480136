import { monotonicMs } from '../../src/util/clock.js';
import { VrrpLabError } from '../../src/util/errors.js';
import { notifyFifoPath } from '../adapters/keepalived-conf.js';
import { type LabAdapter, toLabAdapter } from '../adapters/lab-adapter.js';
import { resolveAdapter } from '../adapters/registry.js';
import type { Impairment } from '../backends/netns/impairments/index.js';
import { Lab } from '../backends/netns/lab.js';
import type { LabHost } from '../backends/netns/lab-host.js';
import { RUN_ENV } from '../backends/netns/names.js';
import { type Capture, startBridgeCaptures } from '../observers/capture.js';
import { type HolderHostSpec, HolderObserver } from '../observers/holders.js';
import { packetEvents } from '../observers/packet-events.js';
import { StateFifoObserver } from '../observers/state-fifo.js';
import { Timeline } from '../observers/timeline.js';
import { run } from '../platform/run.js';
import type { Topology } from '../topology/index.js';
import { routersOf, vipsOf } from './context.js';
import { fromObserverTimeline } from './from-observers.js';
import type { LabSession, OpenOptions, SessionFactory } from './session.js';
import type { TimelineHost } from './timeline.js';

/**
 * Only what the scenarios look at: VRRP, ARP and ICMPv6 (NA). Keeps the pcaps small at adv 0.1 s.
 * tcpdump's `vrrp` primitive matches IPv4 only; VRRPv3 over IPv6 is next header 112.
 */
const CAPTURE_FILTER = ['vrrp', 'or', 'arp', 'or', 'icmp6', 'or', '(ip6', 'and', 'proto', '112)'];

async function interfaceMac(host: LabHost): Promise<string | undefined> {
  try {
    const { stdout } = await run('ip', ['-j', 'link', 'show', 'dev', host.ifname], { netns: host.netns });
    const [link] = JSON.parse(stdout) as Array<{ address?: string }>;
    return link?.address?.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Every IPv6 link-local address in the host (all interfaces, FRR's macvlans too): VRRPv3 over IPv6 sends
 * from the link-local address, and FRR's from its macvlan's, whose MAC is the shared virtual MAC.
 */
async function linkLocals(host: LabHost): Promise<string[]> {
  try {
    const { stdout } = await run('ip', ['-j', '-6', 'addr', 'show', 'scope', 'link'], { netns: host.netns });
    const links = JSON.parse(stdout) as Array<{ addr_info?: Array<{ local?: string }> }>;
    return links.flatMap((l) => (l.addr_info ?? []).flatMap((a) => (a.local ? [a.local] : [])));
  } catch {
    return [];
  }
}

/**
 * FRR keeps the VIP on a macvlan all the time and marks Backup with `protodown on` (docs/quirks.md Q19 iii):
 * the holder is the host whose macvlan is up with protodown off. This forks `ip` (~4 ms), so it samples slower.
 */
function protodownProbe(host: LabHost, ifnameOf: (vip: string) => string | undefined): HolderHostSpec['probe'] {
  return async (vips) => {
    const held: string[] = [];
    for (const vip of vips) {
      const ifn = ifnameOf(vip);
      if (!ifn) continue;
      const r = await run('ip', ['-d', '-j', 'link', 'show', 'dev', ifn], { netns: host.netns }).catch(() => undefined);
      if (!r) continue;
      const [link] = JSON.parse(r.stdout) as Array<{ flags?: string[]; proto_down?: boolean }>;
      if (link && link.proto_down !== true && link.flags?.includes('UP')) held.push(vip);
    }
    return held;
  };
}

/**
 * What a session needs from a built lab. The netns Lab and the docker backend's DockerLab both provide it
 * (the docker backend attaches each container's netns under the same names), so one session class serves both.
 */
export type SessionLab = Pick<
  Lab,
  | 'runId'
  | 'dir'
  | 'impair'
  | 'hosts'
  | 'host'
  | 'adapterHost'
  | 'adapterFor'
  | 'switchNetns'
  | 'plan'
  | 'paths'
  | 'destroy'
>;

/** The implementation the lab runs on `host` (its pin, else the run's), with the LabAdapter extras. */
function labAdapterOf(lab: SessionLab, host: string): LabAdapter {
  const a = lab.adapterFor(host);
  if (!a) throw new VrrpLabError(`no implementation for host ${host} in lab ${lab.runId}`);
  return toLabAdapter(a);
}

class LabBackedSession implements LabSession {
  private readonly crashed = new Map<string, Impairment>();
  private readonly links = new Map<string, Impairment>();
  private finished = false;

  constructor(
    private readonly lab: SessionLab,
    private readonly topology: Topology,
    private readonly holdersObs: HolderObserver,
    private readonly captures: Capture[],
    private readonly hostInfo: TimelineHost[],
    private readonly t0Ms: number,
    private readonly stateObs: StateFifoObserver[],
  ) {}

  get runId(): string {
    return this.lab.runId;
  }

  get runDir(): string {
    return this.lab.dir;
  }

  /** Hosts may pin their own implementation (mixed clusters); the others run the session's. */
  private adapter(host: string) {
    return labAdapterOf(this.lab, host);
  }

  async start(host: string): Promise<void> {
    const crash = this.crashed.get(host);
    if (crash) {
      // Undoing a crash brings the link up, removes the dead daemon's VIP (quirks Q2) and starts it again.
      this.crashed.delete(host);
      await crash.undo();
      return;
    }
    await this.adapter(host).start(this.lab.adapterHost(host));
  }

  async stop(host: string): Promise<void> {
    await this.adapter(host).stop(this.lab.adapterHost(host));
  }

  async kill(host: string): Promise<void> {
    this.crashed.set(host, await this.lab.impair.crash(host));
  }

  async cleanupStale(host: string): Promise<void> {
    await this.adapter(host).cleanupStale(this.lab.adapterHost(host));
  }

  async linkDown(host: string): Promise<void> {
    this.links.set(host, await this.lab.impair.linkDown(host));
  }

  async linkUp(host: string): Promise<void> {
    const h = this.links.get(host);
    if (!h) throw new VrrpLabError(`link of ${host} is not down`);
    this.links.delete(host);
    await h.undo();
  }

  async loss(host: string, percent: number): Promise<() => Promise<void>> {
    const h = await this.lab.impair.netem(host, { lossPct: percent });
    return () => h.undo();
  }

  async flap(host: string, o: { periodMs: number; count: number }): Promise<void> {
    await this.lab.impair.flap(host, o).done;
  }

  private nginx(host: string) {
    const n = this.lab.host(host).nginx;
    if (!n) throw new VrrpLabError(`host ${host} runs no nginx (topology: nginx: true)`);
    return n;
  }

  async nginxFail(host: string): Promise<void> {
    await this.nginx(host).failHealth();
  }

  async nginxRecover(host: string): Promise<void> {
    await this.nginx(host).recoverHealth();
  }

  async impairment(kind: 'drop-vrrp' | 'freeze', host: string): Promise<() => Promise<void>> {
    const i = kind === 'freeze' ? await this.lab.impair.freeze(host) : await this.lab.impair.dropVrrp(host);
    return () => i.undo();
  }

  holders(vip: string): string[] {
    return this.holdersObs.holdersAt(vip, Number.POSITIVE_INFINITY);
  }

  shell(host: string): { prefix: string[]; env: Record<string, string> } {
    const h = this.lab.host(host);
    // The host's directory (rendered configs, pid files, nginx/) is where an operator's drill edits things.
    return { prefix: h.shellPrefix(), env: { [RUN_ENV]: this.lab.runId, VRRPLAB_HOST_DIR: h.dir } };
  }

  mac(host: string): string | undefined {
    return this.hostInfo.find((h) => h.name === host)?.mac;
  }

  async finish() {
    this.finished = true;
    const log = await this.holdersObs.stop();
    const packets = [];
    for (const c of this.captures) {
      const res = await c.stop();
      packets.push(...packetEvents(await c.read(), { clock: res.clock }));
    }
    const endMs = Math.max(log.endMs ?? monotonicMs(), monotonicMs());
    const states = this.stateObs.flatMap((o) => o.stop());
    const tl = Timeline.build({ holders: log, packets, states, endMs });
    // Link-locals again: an implementation may have created interfaces since open (FRR's macvlans).
    const hosts = await Promise.all(
      this.hostInfo.map(async (h) => {
        const now = this.lab.hosts[h.name] ? await linkLocals(this.lab.host(h.name)) : [];
        return { ...h, addresses: [...new Set([...h.addresses, ...now])] };
      }),
    );
    return fromObserverTimeline(tl, { t0Ms: this.t0Ms, hosts, vips: vipsOf(this.topology) });
  }

  async destroy(opts: { keepDir?: boolean } = {}): Promise<void> {
    if (!this.finished) {
      for (const o of this.stateObs) o.stop();
      await this.holdersObs.stop().catch(() => undefined);
      await Promise.all(this.captures.map((c) => c.stop().catch(() => undefined)));
    }
    await this.lab.destroy({ keepDir: opts.keepDir ?? false });
  }
}

export function netnsSessionFactory(): SessionFactory {
  return {
    backend: 'netns',
    unavailable: async () => (process.getuid?.() === 0 ? undefined : 'netns backend needs root (network namespaces)'),
    unsupported: async (topology, impl) => {
      // The adapter judges the settings per host; this needs no lab, only the host view's static fields.
      const problems = routersOf(topology).map(async (name) => {
        const spec = topology.hosts[name]!;
        const adapter = await resolveAdapter(spec.impl ?? impl);
        const peers = Object.values(topology.hosts)
          .filter((h) => h.name !== name && h.role === 'router')
          .flatMap((h) => h.links.flatMap((l) => l.addresses.map((a) => a.split('/')[0] ?? a)));
        const host = {
          runId: 'static',
          name,
          dir: '/nonexistent',
          ifname: spec.links[0]?.ifname ?? 'eth0',
          addresses: spec.links[0]?.addresses ?? [],
          peers,
          instances: spec.vrrp,
          ...(spec.nginx ? { nginxCheck: 'true' } : {}),
          exec: async () => {
            throw new VrrpLabError('static host view');
          },
          spawn: async () => {
            throw new VrrpLabError('static host view');
          },
        };
        return adapter.unsupported(host).map((p) => `${name}: ${p}`);
      });
      return (await Promise.all(problems)).flat();
    },
    open: async (topology, o: OpenOptions) => {
      const lab = await Lab.build(topology, {
        impl: await resolveAdapter(o.impl),
        ...(o.runsDir === undefined ? {} : { runsDir: o.runsDir }),
      });
      return openLabSession(lab, topology, o);
    },
  };
}

/**
 * Render the implementation on every router, start the holder observer and the bridge captures, and wrap
 * the lab in a LabSession. On any failure the lab is destroyed.
 */
export async function openLabSession(lab: SessionLab, topology: Topology, o: OpenOptions): Promise<LabSession> {
  let holders: HolderObserver | undefined;
  let captures: Capture[] = [];
  const states: StateFifoObserver[] = [];
  try {
    const routers = routersOf(topology).map((n) => lab.host(n));
    const adapterOf = (name: string) => labAdapterOf(lab, name);
    await Promise.all(routers.map((h) => adapterOf(h.name).render(lab.adapterHost(h.name))));
    const hostInfo: TimelineHost[] = await Promise.all(
      Object.values(lab.hosts).map(async (h) => {
        const [mac, local] = await Promise.all([interfaceMac(h), linkLocals(h)]);
        return {
          name: h.name,
          role: h.role,
          addresses: [...h.links.flatMap((l) => l.addresses.map((a) => a.split('/')[0] ?? a)), ...local],
          ...(mac === undefined ? {} : { mac }),
        };
      }),
    );
    const specs: HolderHostSpec[] = routers.map((h) => {
      const ah = lab.adapterHost(h.name);
      const adapter = adapterOf(h.name);
      if (adapter.holderInterface) {
        const probe = protodownProbe(h, (vip) => adapter.holderInterface?.(ah, vip));
        return { host: h.name, probe: probe!, periodMs: 10 };
      }
      return { host: h.name, anchorPid: h.anchorPid };
    });
    holders = await HolderObserver.start({ hosts: specs, vips: vipsOf(topology) });
    captures = await startBridgeCaptures({
      netns: lab.switchNetns,
      bridges: Object.values(lab.plan.bridges),
      dir: lab.paths.captures,
      runId: lab.runId,
      filter: CAPTURE_FILTER,
    });
    // keepalived and vrrpd report their transitions on the notify FIFO the config renderer sets up; FRR
    // has none, so its lanes fall back to the VIP holder.
    for (const h of routers) {
      if (adapterOf(h.name).name === 'frr') continue;
      states.push(StateFifoObserver.start({ host: h.name, path: notifyFifoPath(lab.adapterHost(h.name)) }));
    }
    return new LabBackedSession(lab, topology, holders, captures, hostInfo, o.t0Ms, states);
  } catch (err) {
    for (const st of states) st.stop();
    await holders?.stop().catch(() => undefined);
    await Promise.all(captures.map((c) => c.stop().catch(() => undefined)));
    await lab.destroy();
    throw err;
  }
}
