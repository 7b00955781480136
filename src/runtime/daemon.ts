import type { Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import type { KeepalivedConfig, VrrpInstance } from '../config/model.js';
import { syncGroupEvents } from '../core/index.js';
import { assertCapabilities, interfaceInfo, LinkMonitor, PacketSocket, removeAddress } from '../platform/index.js';
import { CrashStateWriter } from '../supervisor/crash-state-writer.js';
import { monotonicMs } from '../util/clock.js';
import { ConfigError, formatDiagnostic, PlatformError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { packageVersion } from '../util/package-info.js';
import { writeFileNoFollow } from '../util/safe-files.js';
import { startControlServer } from './control-server.js';
import { DropCounters } from './drop-counters.js';
import { GarpPacer } from './garp-pacer.js';
import { installedAddresses, instanceSettings } from './instance-config.js';
import { InstanceRunner } from './instance-runner.js';
import { instanceStatus } from './instance-status.js';
import { runLifecycleScript } from './lifecycle-scripts.js';
import { type AnnounceDevice, type AnnounceSender, LinuxInstanceIo } from './linux-instance-io.js';
import { MastershipExtras } from './mastership-extras.js';
import { Notifier } from './notify.js';
import { fifoConfigs, notifyConfigOf } from './notify-config.js';
import { applyProcessSettings } from './process-settings.js';
import { PromoteSecondaries } from './promote-secondaries.js';
import { configKey } from './reload-diff.js';
import { configureScriptSecurity } from './script-security.js';
import { holdUntilSourceReady } from './source-address-ready.js';
import { StaticAddresses } from './static-addresses.js';
import type { DaemonStatus } from './status.js';
import { formatStatusText } from './status-format.js';
import { SyncGroupNotifier } from './sync-group-notify.js';
import { sharedTimerQueue } from './timer-queue.js';
import { InstanceTracking } from './tracking/instance-tracking.js';
import { buildTrackerPool, type ManagedTrackers } from './tracking/tracker-pool.js';
import { watchVipRemovals } from './vip-watch.js';
import { StaticRoutes } from './virtual-routes.js';
import { VrrpSocketPool } from './vrrp-socket-pool.js';

export interface DaemonOptions {
  configFile: string;
  controlSocket: string;
  log: Logger;
  /** Under a supervisor: the crash state it replays if this process dies (src/supervisor). */
  crashStateFile?: string | undefined;
}

interface LiveInstance {
  key: string;
  inst: VrrpInstance;
  runner: InstanceRunner;
  tracking: InstanceTracking;
  unsubscribe: () => void;
  extras: MastershipExtras;
  /** Gives back the packet sockets of the interfaces the instance announces on, and closes its addon timers. */
  release: () => void;
}

/** The process-wide settings of a configuration: the file creation mask and script security. */
function applyFileAndScriptPolicy(config: KeepalivedConfig, log: Logger): void {
  process.umask(config.globalDefs.umask);
  configureScriptSecurity(config.globalDefs.enableScriptSecurity === true, log);
}

/**
 * The running daemon: one InstanceRunner per vrrp_instance, one raw VRRP socket per (interface, family)
 * shared by the instances on it, one AF_PACKET socket per interface for gratuitous ARP / NA, trackers
 * shared between instances, and the control socket.
 */
export class Daemon {
  private config!: KeepalivedConfig;
  private readonly instances = new Map<string, LiveInstance>();
  private readonly packetSockets = new Map<
    string,
    { socket: PacketSocket; users: number; pacing: string; announce: AnnounceSender }
  >();
  /** GARP / NA pacers by pacing key (an interface, or a garp_group): pacing(). */
  private readonly pacers = new Map<string, { arp: GarpPacer; na: GarpPacer; sockets: number }>();
  private readonly drops = new DropCounters();
  private readonly vrrpSockets: VrrpSocketPool;
  private readonly links: LinkMonitor;
  private trackers: ManagedTrackers | undefined;
  private notifier: Notifier | undefined;
  private readonly groupNotifier = new SyncGroupNotifier(() => this.notifier);
  private startedOnce = false;
  /** Member transitions waiting to be synced while a group's tracking is re-evaluated (applyTracking). */
  private heldSync: { inst: VrrpInstance; from: string; to: string }[] | undefined;
  private readonly startedMonoMs = monotonicMs();
  private control: Server | undefined;
  private readonly crashState: CrashStateWriter | undefined;
  private readonly staticRoutes: StaticRoutes;
  private readonly staticAddresses: StaticAddresses;
  /** Instances being stopped because a reload removed them (their notifies differ: stopInstance). */
  private readonly deleting = new Set<string>();
  private readonly promoteSecondaries: PromoteSecondaries;

  private constructor(private readonly o: DaemonOptions) {
    this.vrrpSockets = new VrrpSocketPool(this.drops, o.log);
    // Adverts already queued count before a late Master_Down fires (see TimerQueue.onLateWake).
    sharedTimerQueue().onLateWake = () => this.vrrpSockets.drainPending();
    this.staticRoutes = new StaticRoutes(o.log);
    this.promoteSecondaries = new PromoteSecondaries(o.log);
    this.links = new LinkMonitor();
    this.links.unref();
    this.staticAddresses = new StaticAddresses(this.links, o.log);
    const runners = () => [...this.instances.values()].map((l) => l.runner);
    this.crashState = o.crashStateFile ? new CrashStateWriter(o.crashStateFile, runners) : undefined;
    watchVipRemovals(this.links, () => [...this.instances.values()].map((l) => l.runner), o.log);
  }

  static async start(o: DaemonOptions): Promise<Daemon> {
    const config = Daemon.load(o.configFile, o.log);
    // One line naming every missing capability, before anything is touched.
    assertCapabilities();
    const d = new Daemon(o);
    // Before anything is created, the startup script included (keepalived sets them first thing).
    applyFileAndScriptPolicy(config, o.log);
    await runLifecycleScript('startup', config.globalDefs, o.log);
    try {
      d.apply(config);
    } catch (e) {
      MastershipExtras.disposeUnclaimed();
      await d.stop();
      throw e;
    }
    applyProcessSettings(config.globalDefs.process, o.log);
    // Only once the sockets are open: a daemon that cannot run must not leave a control socket behind.
    d.control = startControlServer(o.controlSocket, { status: () => d.status() }, (e) =>
      o.log.error('control socket error', { path: o.controlSocket, error: e.message }),
    );
    d.crashState?.write();
    o.log.info('vrrpd started', { version: packageVersion(), config: o.configFile, instances: d.instances.size });
    return d;
  }

  private static load(file: string, log: Logger): KeepalivedConfig {
    const { config, diagnostics } = loadConfig(file);
    for (const d of diagnostics.filter((x) => x.severity === 'warning')) {
      // The same FILE:LINE:COL: warning: line `vrrpd -t` prints, so start-up says which line it does not honour.
      log.warn(formatDiagnostic(d), { file: d.file, line: d.line, column: d.column, keyword: d.keyword });
    }
    if (!config) throw new ConfigError(diagnostics);
    return config;
  }

  /** SIGHUP: re-read the config; unchanged instances keep running untouched (an unchanged Master stays Master). */
  async reload(): Promise<void> {
    const log = this.o.log;
    let next: KeepalivedConfig;
    try {
      next = Daemon.load(this.o.configFile, log);
    } catch (e) {
      log.error('reload rejected, keeping the running configuration', { error: (e as Error).message });
      return;
    }
    const kept = new Set(this.instances.values());
    try {
      this.apply(next);
      log.info('configuration reloaded', { instances: this.instances.size });
      if (next.globalDefs.fifoWriteVrrpStatesOnReload) this.rewriteStatesToFifo(kept);
    } catch (e) {
      MastershipExtras.disposeUnclaimed();
      log.error('reload failed', { error: (e as Error).message });
    }
  }

  /**
   * keepalived vrrp_init_state on a reload with fifo_write_vrrp_states_on_reload: every sync group with a state
   * writes it to the FIFO again, then every instance the reload kept — except a Master, which keepalived
   * carries over without that line.
   */
  private rewriteStatesToFifo(kept: ReadonlySet<LiveInstance>): void {
    this.groupNotifier.statesToFifo();
    for (const live of this.instances.values()) {
      const state = live.runner.state;
      if (!kept.has(live) || state === 'MASTER' || state === 'INIT') continue;
      this.notifier?.stateToFifo('INSTANCE', live.inst.name, state, live.runner.snapshot.effectivePriority);
    }
  }

  /** Brings the running instances in line with `config`: stops removed/changed ones, starts new ones. */
  private apply(config: KeepalivedConfig): void {
    const previous = this.trackers;
    this.config = config;
    applyFileAndScriptPolicy(config, this.o.log);
    this.vrrpSockets.discards.logUnknownVrids = config.globalDefs.logUnknownVrids;
    // keepalived's order: static addresses, then routes and rules (which may need them).
    this.staticAddresses.apply(config.staticAddresses);
    this.staticRoutes.apply(config.staticRoutes, config.staticRules);
    const fifos = fifoConfigs(config.globalDefs, this.o.log);
    if (!this.notifier || Notifier.key(this.notifier.fifos) !== Notifier.key(fifos)) {
      this.notifier?.close();
      this.notifier = new Notifier(this.o.log, fifos);
    }
    this.groupNotifier.configure(config.syncGroups, config.globalDefs, this.o.log);
    const wanted = new Map(config.vrrpInstances.map((i) => [i.name, i]));
    for (const [name, live] of this.instances) {
      const inst = wanted.get(name);
      if (!inst) this.stopInstance(live, 'removed from the configuration', { deleted: true });
      else if (configKey(inst, config) !== live.key) this.stopInstance(live, 'configuration changed');
    }
    this.trackers = buildTrackerPool(config, this.links, previous, this.o.log);
    for (const live of this.instances.values()) {
      live.unsubscribe();
      live.tracking = new InstanceTracking(live.inst, config, this.trackers.pool);
      live.unsubscribe = live.tracking.subscribe(() => this.applyTracking(live));
    }
    const started: LiveInstance[] = [];
    for (const inst of config.vrrpInstances) {
      if (this.instances.has(inst.name)) continue;
      started.push(this.createInstance(inst));
    }
    this.trackers.startNew();
    // keepalived applies vrrp_startup_delay at the first start only, not to instances a reload adds.
    const delayUs = this.startedOnce ? 0 : Math.round(config.globalDefs.startupDelay * 1e6);
    this.startedOnce = true;
    for (const live of started) {
      this.applyTracking(live);
      const stopWaiting = holdUntilSourceReady(live.runner.settings, live.runner);
      if (live.runner.settings.faultNoPeer) {
        live.runner.handle({
          type: 'fault',
          faulted: true,
          source: 'unicast',
          reason: 'unicast_fault_no_peer: no peers',
        });
      }
      const unsubscribe = live.unsubscribe;
      live.unsubscribe = () => {
        stopWaiting();
        unsubscribe();
      };
      live.runner.handle({ type: 'startup', delayUs });
    }
  }

  private createInstance(inst: VrrpInstance): LiveInstance {
    const log = this.o.log.child({ instance: inst.name });
    let iface: ReturnType<typeof interfaceInfo>;
    try {
      iface = interfaceInfo(inst.interface);
    } catch (e) {
      throw e instanceof PlatformError
        ? e
        : new PlatformError(`interface '${inst.interface}': ${(e as Error).message}`);
    }
    let settings: ReturnType<typeof instanceSettings>;
    try {
      settings = instanceSettings(inst, this.config.globalDefs, iface);
    } catch (e) {
      throw new PlatformError(`${inst.name}: ${(e as Error).message}`);
    }
    checkAddresses(settings, iface, inst);
    const setup = MastershipExtras.setup(inst, this.config, settings, log);
    settings = setup.settings;
    // keepalived removes VIPs left by a previous run at start (docs/quirks.md Q2: a killed daemon leaves them).
    for (const v of installedAddresses(settings)) removeAddress(v.dev, v.cidr);

    // GARPs leave from the interface holding the VIPs: the VMAC with use_vmac (even with vmac_xmit_base), and
    // each other device a VIP is added on (`dev`), from that device's MAC, as keepalived does.
    const garpIf = settings.vmac?.ifname ?? settings.ifname;
    const devices = new Map<string, AnnounceDevice>([
      // A VMAC is paced with its parent (keepalived: a garp_group cannot name a VMAC).
      [garpIf, { ...this.acquirePacketSocket(garpIf, inst.interface), mac: settings.vmac?.mac ?? iface.mac }],
    ]);
    for (const dev of new Set(installedAddresses(settings).map((v) => v.dev))) {
      if (devices.has(dev)) continue;
      try {
        const info = interfaceInfo(dev);
        devices.set(dev, {
          ...this.acquirePacketSocket(dev, dev),
          mac: info.mac,
          ...(info.ipv6LinkLocal ? { linkLocal: info.ipv6LinkLocal } : {}),
        });
      } catch (e) {
        log.warn('no gratuitous ARP / NA on a VIP device', { instance: inst.name, dev, error: (e as Error).message });
      }
    }
    const releaseDevices = () => {
      for (const dev of devices.keys()) this.releasePacketSocket(dev);
    };

    const io = new LinuxInstanceIo(settings, devices, log);
    const runner = new InstanceRunner(settings, setup.extras.wrap(io), log);
    try {
      io.useSocket(this.vrrpSockets.attach(runner));
    } catch (e) {
      releaseDevices();
      io.close();
      setup.extras.dispose();
      throw e;
    }
    const notify = notifyConfigOf(inst.notify, this.config.globalDefs, log);
    runner.onTransition((t) => {
      const priority = runner.snapshot.effectivePriority;
      if (t.to === 'INIT' && this.deleting.has(inst.name)) {
        // keepalived clear_diff_vrrp: an instance a reload removed reports FAULT (unless it already was in
        // FAULT), or DELETED with notify_deleted — not STOP. send_instance_notifies picks the state's script
        // while the state is still DELETED, so a plain removal runs no notify_fault script: only the generic
        // notify and the FIFO say FAULT (docs/quirks.md Q56).
        if (notify.notifyDeleted) this.notifier?.notify('INSTANCE', inst.name, 'DELETED', priority, notify);
        else if (t.from !== 'FAULT')
          this.notifier?.notify('INSTANCE', inst.name, 'FAULT', priority, { ...notify, fault: undefined });
      } else {
        this.notifier?.notify('INSTANCE', inst.name, t.to === 'INIT' ? 'STOP' : t.to, priority, notify);
      }
      this.propagateSync(inst, t.from, t.to);
      this.crashState?.write();
      const group = inst.syncGroup;
      if (group !== undefined)
        this.groupNotifier.memberChanged(
          group,
          this.members(group).map((m) => m.runner.state),
        );
    });
    runner.onNotifyEvent(() =>
      this.notifier?.masterRxLowerPriority(inst.name, runner.snapshot.effectivePriority, notify),
    );
    const tracking = new InstanceTracking(inst, this.config, this.trackers!.pool);
    const live: LiveInstance = {
      key: configKey(inst, this.config),
      inst,
      runner,
      tracking,
      unsubscribe: () => {},
      extras: setup.extras,
      release: () => {
        releaseDevices();
        io.close();
      },
    };
    setup.extras.claim();
    live.unsubscribe = tracking.subscribe(() => this.applyTracking(live));
    if (inst.promoteSecondaries) this.promoteSecondaries.acquire(inst.interface);
    this.instances.set(inst.name, live);
    return live;
  }

  private members(group: string): LiveInstance[] {
    return [...this.instances.values()].filter((m) => m.inst.syncGroup === group);
  }

  /**
   * A tracked object changed. For a sync group member, every member is re-evaluated before the group is
   * synced: when one link comes back for the whole group, a member must not be dragged back to FAULT by
   * another whose fault has cleared too but is not applied yet (keepalived recovers the group as one).
   */
  private applyTracking(live: LiveInstance): void {
    const group = live.inst.syncGroup;
    if (group === undefined || this.heldSync) {
      this.applyTrackingOne(live);
      return;
    }
    this.heldSync = [];
    try {
      for (const m of this.members(group)) this.applyTrackingOne(m);
    } finally {
      const held = this.heldSync;
      this.heldSync = undefined;
      for (const h of held) this.propagateSync(h.inst, h.from, h.to);
      // Faults that cleared without a transition (a member still held in FAULT by the group) are
      // reconciled now that every member's own faults are current.
      this.feedSync(group, { member: '', from: 'INIT', to: 'INIT' });
    }
  }

  private applyTrackingOne(live: LiveInstance): void {
    const v = live.tracking.verdict();
    const snap = live.runner.snapshot;
    const faulted = snap.faultSources.includes('tracking');
    if (v.faulted !== faulted) {
      live.runner.handle({
        type: 'fault',
        faulted: v.faulted,
        reason: v.faultReasons.join(', ') || 'tracking recovered',
        source: 'tracking',
      });
    }
    if (v.effective !== live.runner.snapshot.effectivePriority) {
      this.o.log.info('effective priority changed', {
        instance: live.inst.name,
        from: snap.effectivePriority,
        to: v.effective,
      });
      live.runner.handle({ type: 'effective-priority', priority: v.effective });
      if (live.inst.notifyPriorityChanges) {
        this.notifier?.priorityChanged(live.inst.name, live.runner.state === 'MASTER', v.effective);
      }
    }
  }

  private propagateSync(inst: VrrpInstance, from: string, to: string): void {
    if (this.heldSync) {
      this.heldSync.push({ inst, from, to });
      return;
    }
    const group = this.config.syncGroups.find((g) => g.members.includes(inst.name));
    // A member that is stopped (daemon stop, or restarted by a reload) or just started does not drag the group.
    if (!group || to === 'INIT' || from === 'INIT') return;
    this.feedSync(group.name, { member: inst.name, from: from as never, to: to as never });
  }

  /** Feeds the members the events syncGroupEvents derives; with no member changed it only reconciles faults. */
  private feedSync(group: string, changed: Parameters<typeof syncGroupEvents>[2]): void {
    const members = this.members(group).map((m) => ({ name: m.inst.name, snapshot: m.runner.snapshot }));
    for (const e of syncGroupEvents(group, members, changed)) this.instances.get(e.member)?.runner.handle(e.event);
  }

  private stopInstance(live: LiveInstance, reason: string, o: { deleted?: boolean } = {}): void {
    this.o.log.info('stopping instance', { instance: live.inst.name, reason });
    live.unsubscribe();
    if (o.deleted) this.deleting.add(live.inst.name);
    try {
      live.runner.handle({ type: 'shutdown' });
    } finally {
      this.deleting.delete(live.inst.name);
    }
    live.runner.dispose();
    // A Master that is shut down removes its VIPs; a Backup or a faulted one has none of ours, but a previous
    // crash may have left some behind, so make sure.
    for (const v of installedAddresses(live.runner.settings)) removeAddress(v.dev, v.cidr);
    live.extras.dispose();
    if (live.inst.promoteSecondaries) this.promoteSecondaries.release(live.inst.interface);
    this.instances.delete(live.inst.name);
    this.vrrpSockets.detach(live.runner);
    live.release();
  }

  /**
   * The interface's AF_PACKET socket, shared by every instance announcing on it, and the pacers its GARPs / NAs
   * go through: the interface's own (vrrp_garp_interval / vrrp_gna_interval), or its garp_group's — shared by
   * the group's interfaces (keepalived's garp_delay). `base`: the interface whose group applies.
   */
  private acquirePacketSocket(ifname: string, base: string): { sender: AnnounceSender } {
    let ps = this.packetSockets.get(ifname);
    if (!ps) {
      const socket = PacketSocket.open(ifname);
      const { key, garpUs, gnaUs } = this.pacing(base);
      let p = this.pacers.get(key);
      if (!p) {
        p = { arp: new GarpPacer(garpUs), na: new GarpPacer(gnaUs), sockets: 0 };
        this.pacers.set(key, p);
      }
      p.sockets++;
      const { arp, na } = p;
      const announce = {
        send: (frame: Buffer, family: 4 | 6, rank: number) => (family === 4 ? arp : na).send(frame, rank, socket),
      };
      ps = { socket, users: 0, pacing: key, announce };
      this.packetSockets.set(ifname, ps);
    }
    ps.users++;
    return { sender: ps.announce };
  }

  private pacing(base: string): { key: string; garpUs: number; gnaUs: number } {
    const g = this.config.globalDefs;
    const i = (this.config.garpGroups ?? []).findIndex((gg) => gg.interfaces.includes(base));
    const group = this.config.garpGroups?.[i];
    return {
      key: group ? `garp_group ${i}` : `interface ${base}`,
      garpUs: Math.round((group?.garpIntervalS ?? g.garpInterval) * 1_000_000),
      gnaUs: Math.round((group?.gnaIntervalS ?? g.gnaInterval) * 1_000_000),
    };
  }

  /** One instance less on the GARP interface: the last one closes its socket and drops what its pacers hold. */
  private releasePacketSocket(ifname: string): void {
    const ps = this.packetSockets.get(ifname);
    if (!ps || --ps.users > 0) return;
    const p = this.pacers.get(ps.pacing);
    p?.arp.drop(ps.socket);
    p?.na.drop(ps.socket);
    if (p && --p.sockets === 0) this.pacers.delete(ps.pacing);
    ps.socket.close();
    this.packetSockets.delete(ifname);
  }

  /** SIGTERM/SIGINT: every Master sends priority 0 (RFC 5798 §6.4.3) and removes its VIPs; then close everything. */
  async stop(): Promise<void> {
    sharedTimerQueue().onLateWake = undefined;
    this.notifier?.stopFifoScripts();
    for (const live of [...this.instances.values()]) this.stopInstance(live, 'daemon stopping');
    this.crashState?.remove();
    this.staticRoutes.remove();
    this.staticAddresses.remove();
    this.groupNotifier.stopAll();
    this.trackers?.stopAll();
    this.notifier?.close();
    this.links.close();
    const control = this.control;
    if (control) await new Promise<void>((resolve) => control.close(() => resolve()));
    // keepalived runs it once the VRRP process has gone: every VIP is already removed.
    if (this.config) await runLifecycleScript('shutdown', this.config.globalDefs, this.o.log);
  }

  status(): DaemonStatus {
    const now = monotonicMs();
    return {
      pid: process.pid,
      version: packageVersion(),
      configFile: this.o.configFile,
      routerId: this.config.globalDefs.routerId ?? hostname(),
      startedMonoMs: this.startedMonoMs,
      uptimeMs: now - this.startedMonoMs,
      instances: [...this.instances.values()].map((l) => instanceStatus(l.runner, l.tracking, l.inst)),
      drops: this.drops.toJSON(),
      dropped: this.drops.packets,
    };
  }

  /** SIGUSR1: like keepalived's data dump, the status as text in $TMPDIR/vrrpd.data. */
  async writeDataDump(): Promise<void> {
    const path = join(process.env.TMPDIR ?? tmpdir(), 'vrrpd.data');
    writeFileNoFollow(path, formatStatusText(this.status()));
    this.o.log.info('data dump written', { path });
  }
}

/** Address conflicts that would make the instance misbehave, as one-line errors before anything changes. */
function checkAddresses(
  s: ReturnType<typeof instanceSettings>,
  iface: ReturnType<typeof interfaceInfo>,
  inst: VrrpInstance,
): void {
  const local = [...iface.ipv4, ...iface.ipv6, ...(iface.ipv6LinkLocal ? [iface.ipv6LinkLocal] : [])];
  const own = s.vips.find((v) => v.address === s.primaryAddress);
  if (own) {
    throw new PlatformError(
      `${inst.name}: address conflict: VIP ${own.address} is the address vrrpd sends adverts from on ${s.ifname}; ` +
        'it would be removed when this node is not Master',
      'EADDRINUSE',
    );
  }
  const src = inst.unicastSrcIp ?? inst.mcastSrcIp;
  if (src && !local.includes(src)) {
    throw new PlatformError(`${inst.name}: source address ${src} is not configured on ${s.ifname}`, 'EADDRNOTAVAIL');
  }
}
