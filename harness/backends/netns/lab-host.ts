import { readFile } from 'node:fs/promises';
import type { AdapterHost } from '../../adapters/types.js';
import { run, runStatus } from '../../platform/run.js';
import { parseCidr, stripPrefix, subnetContains } from '../../topology/cidr.js';
import type { Topology, TopologyHost } from '../../topology/types.js';
import type { PlannedLink } from './build-plan.js';
import type { NginxHandle } from './nginx.js';
import { canReach } from './reach.js';

export interface HostLink extends PlannedLink {}

export interface HostContext {
  runId: string;
  /** Env tag every process of the run carries. */
  env: Record<string, string>;
  /** Start a tagged long-running process in `netns` and record it in the manifest. */
  spawn(
    host: string,
    netns: string,
    cmd: string,
    args: readonly string[],
    opts: { logFile: string; env?: Record<string, string>; role?: string },
  ): Promise<number>;
}

/** The link a router's VRRP runs on: the one whose subnet holds its first VIP (else the first link). */
export function vrrpLink(host: TopologyHost, links: readonly HostLink[]): HostLink {
  const vip = host.vrrp[0]?.vips[0];
  const addr = vip === undefined ? undefined : stripPrefix(vip);
  const found =
    addr === undefined
      ? undefined
      : links.find((l) =>
          l.addresses.some((a) => {
            const net = parseCidr(a);
            return net !== undefined && subnetContains(net, addr);
          }),
        );
  const first = found ?? links[0];
  if (!first) throw new Error(`host ${host.name} has no link`);
  return first;
}

/** One host of a running lab: its namespace, anchor, interfaces, and the AdapterHost view of it. */
export class LabHost {
  nginx: NginxHandle | undefined;

  constructor(
    readonly spec: TopologyHost,
    readonly netns: string,
    readonly anchorPid: number,
    /** Directory private to this host (adapter configs, pid files, nginx). */
    readonly dir: string,
    readonly links: readonly HostLink[],
    private readonly topology: Topology,
    private readonly allLinks: readonly HostLink[],
    private readonly ctx: HostContext,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get role(): 'router' | 'client' {
    return this.spec.role;
  }

  /** The VRRP-facing link (routers) or the first link (clients). */
  get primaryLink(): HostLink {
    return vrrpLink(this.spec, this.links);
  }

  get ifname(): string {
    return this.primaryLink.ifname;
  }

  /** Addresses with prefix on the primary interface. */
  get addresses(): string[] {
    return this.primaryLink.addresses;
  }

  /** First IPv4 address (no prefix) of the primary link, else its first address. */
  get address(): string {
    const a = this.addresses.find((x) => parseCidr(x)?.family === 4) ?? this.addresses[0];
    if (a === undefined) throw new Error(`host ${this.name} has no address`);
    return stripPrefix(a);
  }

  link(ifname?: string): HostLink {
    const l = ifname === undefined ? this.primaryLink : this.links.find((x) => x.ifname === ifname);
    if (!l) throw new Error(`host ${this.name} has no interface ${ifname}`);
    return l;
  }

  /** Addresses (no prefix) of the other routers on the switch of the primary link. */
  get peers(): string[] {
    const sw = this.primaryLink.switch;
    return this.allLinks
      .filter((l) => l.switch === sw && l.host !== this.name && this.topology.hosts[l.host]?.role === 'router')
      .flatMap((l) => l.addresses.map(stripPrefix));
  }

  /** Run a command in the host namespace; throws CommandError on failure. */
  exec(cmd: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}) {
    return run(cmd, args, { netns: this.netns, env: { ...this.ctx.env, ...opts.env }, input: opts.input });
  }

  /** The argv prefix that runs a command in this host (`ip netns exec` also remounts /sys for the netns). */
  shellPrefix(): string[] {
    return ['ip', 'netns', 'exec', this.netns];
  }

  /** Like exec() but returns the exit code instead of throwing. */
  execStatus(cmd: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}) {
    return runStatus(cmd, args, { netns: this.netns, env: { ...this.ctx.env, ...opts.env }, input: opts.input });
  }

  /** Start a long-running tagged process in the host; returns its pid. */
  spawn(cmd: string, args: string[], opts: { logFile: string; env?: Record<string, string>; role?: string }) {
    return this.ctx.spawn(this.name, this.netns, cmd, args, opts);
  }

  /**
   * Whether `ip` is a local address in this namespace right now, read from the anchor's
   * /proc/<pid>/net (fib_trie for IPv4, if_inet6 for IPv6): no fork, ~0.1 ms (docs/quirks.md Q21).
   */
  async hasLocalAddress(ip: string): Promise<boolean> {
    const c = parseCidr(`${stripPrefix(ip)}/${ip.includes(':') ? 128 : 32}`);
    if (!c) return false;
    if (c.family === 6) {
      const text = await readFile(`/proc/${this.anchorPid}/net/if_inet6`, 'utf8');
      const hex = c.value.toString(16).padStart(32, '0');
      return text.split('\n').some((l) => l.startsWith(hex));
    }
    const text = await readFile(`/proc/${this.anchorPid}/net/fib_trie`, 'utf8');
    const lines = text.split('\n');
    const needle = `|-- ${c.address}`;
    return lines.some((l, i) => l.trimStart() === needle && /\/32 host LOCAL/.test(lines[i + 1] ?? ''));
  }

  /** Whether `address` answers from this host (TCP connect: a refusal counts as reachable). */
  canReach(address: string, opts: { timeoutMs?: number; port?: number } = {}): Promise<boolean> {
    return canReach(this.netns, address, opts);
  }

  /** The view an ImplementationAdapter needs of this host. */
  adapterHost(): AdapterHost {
    const nginxCheck = this.nginx?.checkCommand;
    return {
      runId: this.ctx.runId,
      name: this.name,
      dir: this.dir,
      ifname: this.ifname,
      addresses: [...this.addresses],
      peers: this.peers,
      instances: this.spec.vrrp,
      ...(nginxCheck === undefined ? {} : { nginxCheck }),
      exec: (cmd, args, opts) => this.exec(cmd, args, opts ?? {}),
      spawn: async (cmd, args, opts) => ({ pid: await this.spawn(cmd, args, { ...opts, role: 'impl' }) }),
    };
  }
}
