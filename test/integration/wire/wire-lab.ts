import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { keepalivedFiles } from '../../../harness/adapters/keepalived.js';
import { builtInAdapter } from '../../../harness/adapters/registry.js';
import type { AdapterHost, ReportedInstanceState } from '../../../harness/adapters/types.js';
import { vrrpdCliPath, vrrpdFiles } from '../../../harness/adapters/vrrpd.js';
import { writeManifest } from '../../../harness/backends/netns/manifest.js';
import { hostNetns, newRunId } from '../../../harness/backends/netns/names.js';
import { defaultRunsDir, runPaths } from '../../../harness/backends/netns/run-dir.js';
import { teardownRun } from '../../../harness/backends/netns/teardown.js';
import { waitFor } from '../../../harness/lab/index.js';
import { Capture } from '../../../harness/observers/capture.js';
import { type PacketEvent, packetEvents } from '../../../harness/observers/packet-events.js';
import { readProcStat } from '../../../harness/platform/procfs.js';
import type { Topology } from '../../../harness/topology/types.js';
import { CommandError } from '../../../src/util/errors.js';
import { netnsProcesses } from './netns-processes.js';

/**
 * A lab for wire tests with hand-written keepalived.conf files: switches (a bridge in its own netns each), hosts
 * with one veth per link (eth0, eth1, ...), optional IP forwarding and routes, so a "router" host can sit between
 * two switches. Each lab is a vrrp-lab run: a run id, `vl-<id>-` namespaces and a manifest written before
 * anything exists, so `vrrp-lab clean` removes what a killed test left. The same configuration runs under vrrpd or keepalived
 * through their harness adapters; captures are taken on the bridges.
 */

export type Impl = 'vrrpd' | 'keepalived';

export interface WireLabSpec {
  switches: string[];
  hosts: Record<
    string,
    {
      links: { switch: string; addresses: string[] }[];
      /** IPv4/IPv6 forwarding on (a router between switches). */
      forward?: boolean;
      /** `ip route add` argument lists, e.g. ['10.78.0.0/24', 'via', '10.77.0.1']. */
      routes?: string[][];
    }
  >;
}

export interface WireHost extends AdapterHost {
  netns: string;
}

export interface AddrInfo {
  family: string;
  local: string;
  prefixlen: number;
  scope?: string;
  label?: string;
  broadcast?: string;
  noprefixroute?: boolean;
  preferred_life_time?: number;
  valid_life_time?: number;
  nodad?: boolean;
}

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await execa(cmd, args, { reject: false });
  if (r.exitCode !== 0) throw new CommandError(cmd, args, r.exitCode, r.stderr);
  return r.stdout;
}

/** The spec as the run record's topology (what `vrrp-lab ls` shows; `clean` needs only the namespaces). */
function asTopology(spec: WireLabSpec): Topology {
  return {
    name: 'wire-lab',
    switches: Object.fromEntries(
      spec.switches.map((s) => [s, { name: s, dropMulticast: false, mcastSnooping: false }]),
    ),
    hosts: Object.fromEntries(
      Object.entries(spec.hosts).map(([name, h]) => [
        name,
        {
          name,
          role: 'router' as const,
          links: h.links.map((l, i) => ({ switch: l.switch, ifname: `eth${i}`, addresses: l.addresses })),
          nginx: false,
          vrrp: [],
        },
      ]),
    ),
  };
}

function hostFor(runId: string, runDir: string, name: string, firstAddress: string): WireHost {
  const netns = hostNetns(runId, name);
  return {
    runId,
    name,
    netns,
    dir: join(runDir, name),
    ifname: 'eth0',
    addresses: [firstAddress],
    peers: [],
    instances: [],
    ...netnsProcesses(netns),
  };
}

export class WireLab {
  private readonly running = new Map<string, Impl>();
  private readonly captures: Capture[] = [];

  private constructor(
    readonly runId: string,
    readonly runDir: string,
    readonly switchNs: Record<string, string>,
    readonly hosts: Record<string, WireHost>,
  ) {}

  static async build(spec: WireLabSpec): Promise<WireLab> {
    const runId = newRunId();
    const runDir = runPaths(defaultRunsDir(), runId).root;
    const switchNs = Object.fromEntries(spec.switches.map((s) => [s, hostNetns(runId, s)]));
    const hosts = Object.fromEntries(
      Object.entries(spec.hosts).map(([n, h]) => [n, hostFor(runId, runDir, n, h.links[0]?.addresses[0] ?? '')]),
    );
    const netns = [...Object.values(switchNs), ...Object.values(hosts).map((h) => h.netns)];
    const owner = await readProcStat(process.pid);
    // Written before any namespace exists: a test killed mid-build leaves a run `vrrp-lab clean` can remove.
    await writeManifest(runPaths(defaultRunsDir(), runId).manifest, {
      version: 1,
      runId,
      createdAt: new Date().toISOString(),
      dir: runDir,
      topologyName: 'wire-lab',
      owner: { pid: process.pid, startTime: owner?.startTime ?? 0 },
      persistent: false,
      state: 'up',
      netns,
      switchNetns: netns[0] ?? '',
      processes: [],
      anchors: {},
      topology: asTopology(spec),
    });
    await chmod(runDir, 0o755);
    const lab = new WireLab(runId, runDir, switchNs, hosts);
    try {
      for (const ns of Object.values(switchNs)) {
        await run('ip', ['netns', 'add', ns]);
        await run('ip', [
          '-n',
          ns,
          'link',
          'add',
          'br0',
          'type',
          'bridge',
          'forward_delay',
          '0',
          'mcast_snooping',
          '0',
        ]);
        await run('ip', ['-n', ns, 'link', 'set', 'br0', 'up']);
      }
      for (const [name, h] of Object.entries(spec.hosts)) {
        const host = hosts[name]!;
        await mkdir(host.dir, { recursive: true });
        await chmod(host.dir, 0o755);
        await run('ip', ['netns', 'add', host.netns]);
        await run('ip', ['-n', host.netns, 'link', 'set', 'lo', 'up']);
        // No DAD: link-locals and VIP-less IPv6 sources are usable at once (deterministic start).
        await host.exec('sysctl', ['-qw', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.all.accept_dad=0']);
        if (h.forward) {
          await host.exec('sysctl', ['-qw', 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1']);
        }
        for (const [i, link] of h.links.entries()) {
          const ifname = `eth${i}`;
          const port = `${name}p${i}`;
          const sw = switchNs[link.switch]!;
          await run('ip', ['-n', host.netns, 'link', 'add', ifname, 'type', 'veth', 'peer', 'name', port, 'netns', sw]);
          for (const a of link.addresses) await run('ip', ['-n', host.netns, 'addr', 'add', a, 'dev', ifname]);
          await run('ip', ['-n', host.netns, 'link', 'set', ifname, 'up']);
          await run('ip', ['-n', sw, 'link', 'set', port, 'master', 'br0']);
          await run('ip', ['-n', sw, 'link', 'set', port, 'up']);
        }
        for (const r of h.routes ?? []) await run('ip', ['-n', host.netns, 'route', 'add', ...r]);
      }
    } catch (err) {
      await lab.destroy();
      throw err;
    }
    return lab;
  }

  host(name: string): WireHost {
    const h = this.hosts[name];
    if (!h) throw new Error(`no host ${name}`);
    return h;
  }

  /** Writes `conf` where the adapter reads it and starts `impl` on the host. */
  async start(name: string, impl: Impl, conf: string): Promise<void> {
    const h = this.host(name);
    await writeFile(impl === 'vrrpd' ? vrrpdFiles(h).conf : keepalivedFiles(h).conf, conf);
    this.running.set(name, impl);
    await builtInAdapter(impl).start(h);
  }

  async stop(name: string): Promise<void> {
    const impl = this.running.get(name);
    if (!impl) return;
    this.running.delete(name);
    await builtInAdapter(impl).stop(this.host(name));
  }

  async states(name: string): Promise<ReportedInstanceState[]> {
    const impl = this.running.get(name);
    if (!impl) return [];
    return builtInAdapter(impl).state(this.host(name));
  }

  /** State of one instance by name, 'UNKNOWN' when the daemon does not report it. */
  async stateOf(name: string, instance: string): Promise<ReportedInstanceState['state']> {
    return (await this.states(name)).find((s) => s.instance === instance)?.state ?? 'UNKNOWN';
  }

  async waitState(name: string, instance: string, want: ReportedInstanceState['state'], timeoutMs = 15_000) {
    await waitFor(async () => (await this.stateOf(name, instance)) === want, {
      timeoutMs,
      intervalMs: 50,
      description: `${name} ${instance} ${want}`,
    });
  }

  /** What the kernel holds on the interface (`ip -j addr show dev IF`). */
  async addrs(name: string, ifname = 'eth0'): Promise<AddrInfo[]> {
    const out = await run('ip', ['-n', this.host(name).netns, '-j', 'addr', 'show', 'dev', ifname]);
    const links = JSON.parse(out) as Array<{ addr_info?: AddrInfo[] }>;
    return links.flatMap((l) => l.addr_info ?? []);
  }

  async holds(name: string, address: string, ifname = 'eth0'): Promise<boolean> {
    return (await this.addrs(name, ifname)).some((a) => a.local === address);
  }

  /** Hosts (of `names`) holding `address`, sorted. */
  async holders(address: string, names = Object.keys(this.hosts)): Promise<string[]> {
    const out: string[] = [];
    for (const n of names) if (await this.holds(n, address)) out.push(n);
    return out;
  }

  /**
   * Waits until exactly `want` hold `address`, then requires that to stay so for `holdMs` (longer than a
   * Master_Down_Interval: a Backup that does not hear its Master takes the address within that window).
   */
  async holdHolders(address: string, want: string[], holdMs: number, names?: string[]): Promise<void> {
    const same = async () => JSON.stringify(await this.holders(address, names)) === JSON.stringify(want);
    await waitFor(same, { timeoutMs: 15_000, intervalMs: 50, description: `${want.join(',')} to hold ${address}` });
    const until = performance.now() + holdMs;
    let broken: string[] | undefined;
    await waitFor(
      async () => {
        const got = await this.holders(address, names);
        if (JSON.stringify(got) !== JSON.stringify(want)) broken = got;
        return broken !== undefined || performance.now() >= until;
      },
      { timeoutMs: holdMs + 15_000, intervalMs: 50, description: `holders of ${address} steady for ${holdMs} ms` },
    );
    if (broken) throw new Error(`holders of ${address} became [${broken}] (want [${want}]) in the steady window`);
  }

  /**
   * Drops (or lets through again) every VRRP packet the switch forwards: a partition in which each node
   * becomes Master, so that healing it makes them meet as Masters (the equal-priority tie-break).
   */
  async partitionVrrp(sw: string, on: boolean): Promise<void> {
    const ns = this.switchNs[sw]!;
    if (!on) {
      await execa('ip', ['netns', 'exec', ns, 'nft', 'delete', 'table', 'bridge', 'vatpart'], { reject: false });
      return;
    }
    const rules =
      'table bridge vatpart { chain block { type filter hook forward priority 0; meta l4proto 112 drop; }; }';
    const r = await execa('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: rules, reject: false });
    if (r.exitCode !== 0) throw new CommandError('nft', ['-f', '-'], r.exitCode, r.stderr, ns);
  }

  /** Starts a capture on a switch's bridge. */
  async capture(sw: string): Promise<Capture> {
    const cap = await Capture.start({
      netns: this.switchNs[sw]!,
      iface: 'br0',
      file: join(this.runDir, `${sw}-${this.captures.length}.pcap`),
      runId: this.runId,
    });
    this.captures.push(cap);
    return cap;
  }

  /** Stops the capture and returns its VRRP/ARP/NA events. */
  async events(cap: Capture): Promise<PacketEvent[]> {
    await cap.stop();
    return packetEvents(await cap.read());
  }

  async destroy(): Promise<void> {
    for (const name of [...this.running.keys()]) await this.stop(name).catch(() => undefined);
    for (const cap of this.captures) await cap.stop().catch(() => undefined);
    // The run's processes (found in its namespaces), namespaces and directory, as `vrrp-lab clean` removes them.
    const netns = [...Object.values(this.switchNs), ...Object.values(this.hosts).map((h) => h.netns)];
    await teardownRun({
      runId: this.runId,
      netns,
      ...(process.env.VAT_KEEP_RUNDIR === '1' ? {} : { dir: this.runDir }),
    });
  }
}

/** Whether dist/ holds a built vrrpd (the wire tests skip without it). */
export const vrrpdBuilt = existsSync(vrrpdCliPath());

/** A lab per test: the returned function builds one; an afterEach destroys it. */
export function labPerTest(): (spec: WireLabSpec) => Promise<WireLab> {
  let lab: WireLab | undefined;
  afterEach(async () => {
    await lab?.destroy();
    lab = undefined;
  });
  return async (spec) => {
    lab = await WireLab.build(spec);
    return lab;
  };
}

/** One lab for the whole file, built in beforeAll (when vrrpd is built) and destroyed in afterAll. */
export function labPerFile(spec: WireLabSpec): () => WireLab {
  let lab: WireLab | undefined;
  beforeAll(async () => {
    if (vrrpdBuilt) lab = await WireLab.build(spec);
  });
  afterAll(async () => {
    await lab?.destroy();
  });
  return () => {
    if (!lab) throw new Error('the lab was not built');
    return lab;
  };
}

/** A `vrrp_instance` block on eth0; `body` lines go between the header and the VIPs. */
export function vrrpInstance(o: {
  name?: string;
  vrid?: number;
  priority: number;
  body?: string;
  vips: string[];
}): string {
  return `vrrp_instance ${o.name ?? 'VI_1'} {
  interface eth0
  virtual_router_id ${o.vrid ?? 51}
  priority ${o.priority}
${o.body ?? ''}
  virtual_ipaddress {
${o.vips.map((v) => `    ${v}`).join('\n')}
  }
}
`;
}
