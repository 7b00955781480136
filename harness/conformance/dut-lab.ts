import { join } from 'node:path';
import { decodeEthernetFrame } from '../../src/protocol/index.js';
import { monotonicMs } from '../../src/util/clock.js';
import type { Setting } from '../adapters/capabilities.js';
import type { BuiltInImpl } from '../adapters/registry.js';
import { builtInAdapter } from '../adapters/registry.js';
import { protocolProblems } from '../adapters/settings-checks.js';
import type { AdapterHost, ImplementationAdapter } from '../adapters/types.js';
import { defineTopology, Lab, type LabHost } from '../lab/index.js';
import { Capture } from '../observers/capture.js';
import type { TopologyInput } from '../topology/index.js';
import type { VrrpInstanceSettings } from '../topology/vrrp-settings.js';
import { type AdvertFrame, advertsOf, type Who } from './evidence.js';
import { type CapturedFrame, capturedFrames, interfaceFacts, Tester, waitLinkLocalReady } from './tester.js';

/**
 * One conformance lab: the implementation under test on one or more DUT hosts, a tester host on the same switch
 * (and optionally a second one, for "another interface"), reference implementations pinned on peer hosts
 * (interop), and one capture of the switch. Instances the implementation cannot express are left out of the
 * lab and their cases skipped with the reason; everything else is observed from the wire and the kernel.
 */

type InstanceInput = Partial<VrrpInstanceSettings> & Pick<VrrpInstanceSettings, 'vrid' | 'vips'>;

export interface InstanceSpec {
  /** Key the group's cases refer to (e.g. 'v3-ipv4'). */
  key: string;
  settings: InstanceInput;
  needs: readonly Setting[];
  /**
   * Run it even though the shared protocol checks call the setting out of range (T5 at the field's edge: what
   * the implementation does with it is the finding).
   */
  beyondProtocolLimits?: boolean;
}

/** A v3 instance with one VIP and a single GARP/NA (the shape most cases need). */
export interface V3InstanceInput {
  key: string;
  vrid: number;
  family: 4 | 6;
  vip: string;
  priority?: number;
  intervalCs?: number;
  needs?: readonly Setting[];
}

export function v3Instance(i: V3InstanceInput, extra: Partial<VrrpInstanceSettings> = {}): InstanceSpec {
  return {
    key: i.key,
    needs: i.needs ?? [],
    settings: {
      vrid: i.vrid,
      version: 3,
      priority: i.priority ?? 100,
      advertIntervalS: (i.intervalCs ?? 10) / 100,
      vips: [`${i.vip}/${i.family === 4 ? 24 : 64}`],
      garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 0 },
      ...extra,
    },
  };
}

export interface HostSpec {
  instances: InstanceSpec[];
  /** Pin a reference implementation on this host (interop); absent = the implementation under test. */
  impl?: BuiltInImpl;
  /** Host number in the subnet (10.N.0.<n>, fdN::<n>). */
  n: number;
  /** A second link, on switch `wan` (10.(N+1).0.<n>/24), for forwarding cases. */
  wan?: boolean;
}

export interface DutLabSpec {
  name: string;
  /** Second octet of the lab's subnets: 10.N.0.0/24, fdN::/64 (and 10.(N+1) for `wan`). */
  net: number;
  hosts: Record<string, HostSpec>;
  /** A second tester link on another switch (`lan2`), which the first DUT also joins. */
  secondSwitch?: boolean;
  /** Add fe80::N:<n>/64 to every host so that a link-local VIP is inside a link subnet. */
  linkLocalVips?: boolean;
}

export interface ConformanceContext {
  adapter: ImplementationAdapter;
  runsDir?: string;
  /** Keep the run directories (captures, logs) after the run. */
  keep?: boolean;
}

/** Why vrrpd's pending settings are not there yet (they land with issue 9; the skip follows the adapter). */
const PENDING: Partial<Record<string, Partial<Record<Setting, string>>>> = {
  vrrpd: {
    vmac: 'use_vmac not implemented yet (issue 9)',
    accept_mode: 'accept mode not implemented yet (issue 9)',
  },
};

function settingReason(adapter: ImplementationAdapter, s: Setting): string {
  return `${adapter.name}: ${PENDING[adapter.name]?.[s] ?? `cannot express the setting "${s}"`}`;
}

/** The instance as the topology stores it (defaults filled), for support checks before the lab exists. */
function fullInstance(i: InstanceInput): VrrpInstanceSettings {
  return {
    name: `VI_${i.vrid}`,
    priority: 100,
    version: 3,
    advertIntervalS: 1,
    preempt: true,
    preemptDelayS: 0,
    initialState: 'BACKUP',
    unicast: false,
    trackScripts: [],
    trackInterfaces: [],
    garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 0 },
    ...i,
  } as VrrpInstanceSettings;
}

/** Why `adapter` cannot run `spec` on a host with these addresses (undefined = it can). */
export function instanceSkipReason(
  adapter: ImplementationAdapter,
  spec: InstanceSpec,
  addresses: string[],
  peers: string[],
): string | undefined {
  const declared = adapter.unsupportedSettings ?? [];
  const missing = spec.needs.filter((s) => declared.includes(s));
  if (missing.length > 0) return missing.map((s) => settingReason(adapter, s)).join('; ');
  const host: AdapterHost = {
    runId: 'check',
    name: 'dut',
    dir: '/nonexistent',
    ifname: 'eth0',
    addresses,
    peers,
    instances: [fullInstance(spec.settings)],
    exec: () => Promise.reject(new Error('support check only')),
    spawn: () => Promise.reject(new Error('support check only')),
  };
  const general = adapter.unsupported(host);
  const ignored = spec.beyondProtocolLimits ? new Set(protocolProblems(host)) : new Set<string>();
  const reasons = general.filter((r) => !ignored.has(r));
  return reasons.length > 0 ? `${adapter.name}: ${reasons.join('; ')}` : undefined;
}

function linkAddresses(spec: DutLabSpec, n: number): string[] {
  return [
    `${DutLab.address(spec.net, n, 4)}/24`,
    `${DutLab.address(spec.net, n, 6)}/64`,
    ...(spec.linkLocalVips ? [`fe80::${spec.net}:${n}/64`] : []),
  ];
}

/** Which instances of the lab the implementations can run (by host), and why the others cannot (by key). */
export function supportPlan(
  spec: DutLabSpec,
  ctx: ConformanceContext,
): { skipped: Map<string, string>; runnable: Map<string, InstanceSpec[]> } {
  const skipped = new Map<string, string>();
  const runnable = new Map<string, InstanceSpec[]>();
  const names = Object.keys(spec.hosts);
  for (const [name, h] of Object.entries(spec.hosts)) {
    const adapter = h.impl ? builtInAdapter(h.impl) : ctx.adapter;
    const peers = [2, ...names.filter((x) => x !== name).map((x) => spec.hosts[x]?.n ?? 0)].flatMap((n) => [
      DutLab.address(spec.net, n, 4),
      DutLab.address(spec.net, n, 6),
    ]);
    const ok: InstanceSpec[] = [];
    for (const inst of h.instances) {
      const why = instanceSkipReason(adapter, inst, linkAddresses(spec, h.n), peers);
      if (why) skipped.set(inst.key, why);
      else ok.push(inst);
    }
    runnable.set(name, ok);
  }
  return { skipped, runnable };
}

/**
 * Records a skip for every variant whose instance the implementation cannot run, and opens the lab when anything
 * is left to run (undefined otherwise).
 */
export async function openOrSkip(
  g: { ctx: ConformanceContext; record(id: string, v: { skip: string }): void },
  spec: DutLabSpec,
  ids: readonly string[],
  keyOf: (id: string) => string,
): Promise<DutLab | undefined> {
  const { skipped } = supportPlan(spec, g.ctx);
  const left = ids.filter((id) => {
    const why = skipped.get(keyOf(id));
    if (why) g.record(id, { skip: why });
    return why === undefined;
  });
  if (left.length === 0) return undefined;
  return DutLab.open(spec, g.ctx);
}

export class DutLab {
  /** Instances left out, by key, with the reason. */
  readonly skipped = new Map<string, string>();
  readonly tester: Tester;
  tester2?: Tester;
  private started = new Set<string>();
  /** Monotonic → capture wall clock. */
  private readonly offsetMs: number;

  private constructor(
    readonly spec: DutLabSpec,
    readonly ctx: ConformanceContext,
    readonly lab: Lab,
    readonly cap: Capture,
    tester: Tester,
    skipped: Map<string, string>,
    readonly runnable: Map<string, InstanceSpec[]>,
    readonly who: Map<string, Who>,
  ) {
    this.tester = tester;
    this.skipped = skipped;
    this.offsetMs = cap.clock.start.wallMs - cap.clock.start.monoMs;
  }

  static address(net: number, n: number, family: 4 | 6): string {
    return family === 4 ? `10.${net}.0.${n}` : `fd${net}::${n}`;
  }

  static async open(spec: DutLabSpec, ctx: ConformanceContext): Promise<DutLab> {
    const { skipped, runnable } = supportPlan(spec, ctx);
    const linkAddrs = (n: number) => linkAddresses(spec, n);
    const dutNames = Object.keys(spec.hosts);
    const hosts: TopologyInput['hosts'] = {};
    for (const [name, h] of Object.entries(spec.hosts)) {
      const ok = runnable.get(name) ?? [];
      const links = [{ switch: 'lan', addresses: linkAddrs(h.n) }];
      if (spec.secondSwitch && name === dutNames[0])
        links.push({ switch: 'lan2', addresses: [`10.${spec.net + 1}.0.${h.n}/24`] });
      if (h.wan) links.push({ switch: 'wan', addresses: [`10.${spec.net + 1}.0.${h.n}/24`] });
      hosts[name] =
        ok.length > 0
          ? {
              role: 'router',
              links,
              vrrp: ok.map((i) => ({
                name: `VI_${i.settings.vrid}_${i.key.replace(/[^A-Za-z0-9]/g, '')}`,
                ...i.settings,
              })),
              ...(h.impl ? { impl: h.impl } : {}),
            }
          : { role: 'client', links };
    }
    // The tester is a router in the topology (never started) so that unicast DUTs list it as a peer.
    const testerLinks = [{ switch: 'lan', addresses: linkAddrs(2) }];
    if (spec.secondSwitch) testerLinks.push({ switch: 'lan2', addresses: [`10.${spec.net + 1}.0.2/24`] });
    hosts.tester = {
      role: 'router',
      links: testerLinks,
      // Never started: it mirrors the unicast instances (a unicast VRID needs two routers in the topology).
      vrrp: [
        { name: 'UNUSED', vrid: 254, vips: [`10.${spec.net}.0.200/24`] },
        ...[...runnable.values()]
          .flat()
          .filter((i) => i.settings.unicast)
          .map((i) => ({
            name: `MIRROR_${i.settings.vrid}`,
            vrid: i.settings.vrid,
            vips: i.settings.vips,
            unicast: true,
          })),
      ],
    };
    const anyWan = Object.values(spec.hosts).some((h) => h.wan);
    if (anyWan)
      hosts.server = { role: 'client', links: [{ switch: 'wan', addresses: [`10.${spec.net + 1}.0.100/24`] }] };
    const switches: TopologyInput['switches'] = { lan: {} };
    if (spec.secondSwitch) switches.lan2 = {};
    if (anyWan) switches.wan = {};
    const topology = defineTopology({ name: `conform-${spec.name}`, switches, hosts });
    const lab = await Lab.build(topology, { ...(ctx.runsDir ? { runsDir: ctx.runsDir } : {}), startNginx: false });
    let cap: Capture | undefined;
    let tester: Tester | undefined;
    try {
      tester = await Tester.open(lab.host('tester').netns);
      const bridge = lab.plan.bridges.lan as string;
      cap = await Capture.start({
        netns: lab.switchNetns,
        iface: bridge,
        file: join(lab.dir, 'captures', `${spec.name}.pcap`),
        runId: lab.runId,
      });
      const who = new Map<string, Who>();
      for (const name of dutNames) {
        const h = lab.host(name);
        const facts = await interfaceFacts(h.netns, h.ifname);
        who.set(name, {
          name,
          macs: [facts.mac],
          ips: [
            ...facts.ipv4,
            ...(facts.linkLocal ? [facts.linkLocal] : []),
            ...(spec.linkLocalVips ? [`fe80::${spec.net}:${spec.hosts[name]!.n}`] : []),
          ],
        });
      }
      // Start on settled links, as a boot-time daemon would (after network-online): a link-local still in DAD
      // cannot be an advert's source, and implementations differ in how they wait for it.
      await Promise.all(dutNames.map((n) => waitLinkLocalReady(lab.host(n).netns, lab.host(n).ifname)));
      const d = new DutLab(spec, ctx, lab, cap, tester, skipped, runnable, who);
      if (spec.secondSwitch) d.tester2 = await Tester.open(lab.host('tester').netns, 'eth1');
      return d;
    } catch (err) {
      tester?.close();
      await cap?.stop().catch(() => undefined);
      await lab.destroy({ keepDir: ctx.keep === true });
      throw err;
    }
  }

  host(name: string): LabHost {
    return this.lab.host(name);
  }

  adapterOf(name: string): ImplementationAdapter {
    const pinned = this.spec.hosts[name]?.impl;
    return pinned ? builtInAdapter(pinned) : this.ctx.adapter;
  }

  /** Whether `key` runs in this lab (else its cases skip with `skipped.get(key)`). */
  has(key: string): boolean {
    return [...this.runnable.values()].some((l) => l.some((i) => i.key === key));
  }

  instance(key: string): { host: string; settings: VrrpInstanceSettings } {
    for (const [host, list] of this.runnable) {
      const i = list.find((x) => x.key === key);
      if (i) {
        const s = this.host(host).spec.vrrp.find((v) => v.vrid === i.settings.vrid && v.vips[0] === i.settings.vips[0]);
        if (s) return { host, settings: s };
      }
    }
    throw new Error(`instance ${key} does not run in lab ${this.spec.name}`);
  }

  /**
   * Adds every MAC and address the host's namespace has now (an implementation may send from interfaces it
   * created: FRR's macvlans with their own link-locals), global VIPs excepted.
   */
  async refreshWho(host: string): Promise<void> {
    const h = this.host(host);
    const vips = new Set(h.spec.vrrp.flatMap((v) => v.vips.map((x) => x.split('/')[0] as string)));
    const { stdout } = await h.exec('ip', ['-j', 'addr', 'show']);
    const links = JSON.parse(stdout) as Array<{
      ifname: string;
      address?: string;
      addr_info?: Array<{ local: string }>;
    }>;
    const old = this.whoOf(host);
    const macs = new Set(old.macs);
    const ips = new Set(old.ips);
    for (const l of links) {
      if (l.ifname === 'lo') continue;
      if (l.address) macs.add(l.address);
      // A link-local VIP may be the source (FRR sends from it); a global VIP moves between routers.
      for (const a of l.addr_info ?? []) if (!vips.has(a.local) || a.local.startsWith('fe80:')) ips.add(a.local);
    }
    // A VMAC identifies this host only if no other host of the lab runs that VRID.
    const vridsElsewhere = new Set(
      Object.entries(this.spec.hosts)
        .filter(([n]) => n !== host)
        .flatMap(([, hs]) => hs.instances.map((i) => i.settings.vrid)),
    );
    const ownVmacs = [...macs].filter(
      (m) => /^00:00:5e:00:0[12]:/.test(m) && !vridsElsewhere.has(Number.parseInt(m.slice(-2), 16)),
    );
    this.who.set(host, { name: host, macs: [...macs], ips: [...ips], ownVmacs });
  }

  whoOf(host: string): Who {
    const w = this.who.get(host);
    if (!w) throw new Error(`no DUT host ${host}`);
    return w;
  }

  /** Capture wall-clock time of a monotonic instant. */
  wall(monoMs = monotonicMs()): number {
    return monoMs + this.offsetMs;
  }

  /** Render and start the implementation on `host` (if it has instances); returns [call, resolved] wall times. */
  async start(host: string): Promise<{ callMs: number; upMs: number } | undefined> {
    if ((this.runnable.get(host) ?? []).length === 0) return undefined;
    const adapter = this.adapterOf(host);
    const ah = this.lab.adapterHost(host);
    await adapter.render(ah);
    const callMs = this.wall();
    this.started.add(host);
    await adapter.start(ah);
    const upMs = this.wall();
    await this.refreshWho(host);
    return { callMs, upMs };
  }

  async stop(host: string): Promise<number> {
    // Its addresses go with it (FRR removes its macvlans): record them while they exist.
    await this.refreshWho(host).catch(() => undefined);
    const at = this.wall();
    await this.adapterOf(host).stop(this.lab.adapterHost(host));
    this.started.delete(host);
    return at;
  }

  /** Every frame captured so far; the started hosts' addresses are read again first (FRR's macvlans come late). */
  async frames(): Promise<CapturedFrame[]> {
    await this.refreshStarted();
    return capturedFrames(this.cap);
  }

  private async refreshStarted(): Promise<void> {
    await Promise.all([...this.started].map((h) => this.refreshWho(h).catch(() => undefined)));
  }

  /**
   * Waits until `n` adverts as Master of (host, vrid, family) follow `afterMs` (capture clock), or the timeout;
   * returns whether they came. The caller's oracle reads the capture either way.
   */
  async waitAdverts(
    host: string,
    vrid: number,
    family: 4 | 6,
    afterMs: number,
    n: number,
    timeoutMs: number,
  ): Promise<boolean> {
    // In slices, reading the hosts' addresses again in between: an implementation may start sending from an
    // address it has only just configured (FRR's macvlan link-locals).
    const deadline = this.wall() + timeoutMs;
    for (;;) {
      await this.refreshStarted();
      const who = this.whoOf(host);
      let count = 0;
      try {
        await this.cap.waitForRecord(
          (r) => {
            if (r.wallMs <= afterMs) return false;
            const f = { index: r.index, wallMs: r.wallMs, data: Buffer.from(r.data), ev: decodeRecord(r.data) };
            const ads = advertsOf([f], who, vrid, family);
            if (ads.length > 0 && (ads[0] as AdvertFrame).d.advert.priority > 0) count++;
            return count >= n;
          },
          Math.max(0, Math.min(1000, deadline - this.wall())),
          `${n} adverts of ${host} VRID ${vrid}`,
        );
        return true;
      } catch {
        if (this.wall() >= deadline) return false;
      }
    }
  }

  /** Waits for a captured frame matching `pred` after `afterMs`; undefined on timeout. */
  async waitFrame(
    pred: (f: CapturedFrame) => boolean,
    afterMs: number,
    timeoutMs: number,
  ): Promise<CapturedFrame | undefined> {
    try {
      const r = await this.cap.waitForRecord(
        (rec) =>
          rec.wallMs > afterMs &&
          pred({ index: rec.index, wallMs: rec.wallMs, data: Buffer.from(rec.data), ev: decodeRecord(rec.data) }),
        timeoutMs,
        'frame',
      );
      return { index: r.index, wallMs: r.wallMs, data: Buffer.from(r.data), ev: decodeRecord(r.data) };
    } catch {
      return undefined;
    }
  }

  /** Sends a frame from the tester and returns its capture time (the send time if the bridge did not show it). */
  async inject(frame: Buffer, via: Tester = this.tester): Promise<number> {
    const sentAt = this.wall();
    via.send(frame);
    if (via !== this.tester) return sentAt;
    const seen = await this.waitFrame(
      (f) => f.data.length >= frame.length && f.data.subarray(0, frame.length).equals(frame),
      sentAt - 5,
      3000,
    );
    return seen?.wallMs ?? sentAt;
  }

  /** Whether `host` holds `vip` now: the address for most implementations, the protodown state for FRR. */
  async holds(host: string, vip: string): Promise<boolean> {
    const adapter = this.adapterOf(host);
    const h = this.host(host);
    const ifn = adapter.holderInterface?.(this.lab.adapterHost(host), vip);
    if (ifn !== undefined) {
      const r = await h.execStatus('ip', ['-d', '-j', 'link', 'show', 'dev', ifn]);
      if (r.exitCode !== 0) return false;
      const [link] = JSON.parse(r.stdout) as Array<{ flags?: string[]; proto_down?: boolean }>;
      return link !== undefined && link.proto_down !== true && (link.flags?.includes('UP') ?? false);
    }
    return h.hasLocalAddress(vip);
  }

  async close(): Promise<void> {
    this.tester.close();
    this.tester2?.close();
    for (const h of [...this.started])
      await this.adapterOf(h)
        .stop(this.lab.adapterHost(h))
        .catch(() => undefined);
    await this.cap.stop().catch(() => undefined);
    await this.lab.destroy({ keepDir: this.ctx.keep === true });
  }
}

function decodeRecord(data: Uint8Array) {
  return decodeEthernetFrame(data);
}
