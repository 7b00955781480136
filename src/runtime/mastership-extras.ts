/**
 * What an instance does around its VIPs besides adding them: the VMAC interface they live on (use_vmac),
 * the no-accept filter (Accept_Mode False), and the virtual routes and rules that follow mastership.
 * Wraps the instance's InstanceIo so these happen exactly when the VIPs come and go:
 *   becoming Master:  block VIP traffic (no_accept) → VIPs → routes → rules → VMAC routes packets
 *   leaving Master:   VMAC stops routing → rules → routes → VIPs → unblock
 */
import type { KeepalivedConfig, VrrpInstance } from '../config/model.js';
import { createVmac, removeVmac, setVmacForwarding, type VmacHandle } from '../platform/vmac.js';
import type { Logger } from '../util/logger.js';
import { AcceptFilter, needsAcceptFilter } from './accept-mode.js';
import type { InstanceSettings } from './instance-config.js';
import type { InstanceIo } from './instance-runner.js';
import { RouteSet } from './virtual-routes.js';
import { applyVmacPlan, vmacNames, vmacPlan } from './vmac-plan.js';

/** Set up but not yet owned by a running instance (a later step of the instance's creation may fail). */
const unclaimed = new Set<MastershipExtras>();

export class MastershipExtras {
  /** Undoes every setup whose instance never started (called when creating instances failed). */
  static disposeUnclaimed(): void {
    for (const e of unclaimed) e.dispose();
  }

  private constructor(
    private readonly log: Logger,
    private readonly vmac: VmacHandle | undefined,
    private readonly accept: AcceptFilter | undefined,
    private readonly routes: RouteSet | undefined,
  ) {}

  /**
   * Creates the VMAC (if any) and the accept filter's table, and returns the settings the instance runs
   * with (VIPs and socket moved onto the VMAC). Undoes what it did if a later step throws.
   */
  static setup(
    inst: VrrpInstance,
    config: KeepalivedConfig,
    settings: InstanceSettings,
    log: Logger,
  ): { settings: InstanceSettings; extras: MastershipExtras } {
    const plan = vmacPlan(inst, vmacNames(config.vrrpInstances, config.globalDefs).get(inst.name));
    let vmac: VmacHandle | undefined;
    let accept: AcceptFilter | undefined;
    try {
      if (plan) {
        vmac = createVmac({
          name: plan.name,
          parent: plan.parent,
          mac: plan.mac,
          family: plan.family,
          // IPv6 adverts from the VMAC need a link-local source on it: the one they would have used.
          ...(plan.family === 6 && !plan.xmitBase ? { linkLocal: settings.primaryAddress } : {}),
        });
        settings = applyVmacPlan(settings, plan);
        log.info('VMAC interface ready', { instance: inst.name, vmac: plan.name, mac: plan.mac });
      }
      if (needsAcceptFilter(inst))
        accept = new AcceptFilter(
          settings.family,
          settings.vips.map((v) => v.address),
        );
    } catch (e) {
      if (vmac) removeVmac(vmac);
      throw e;
    }
    const routes = new RouteSet(inst.virtualRoutes ?? [], inst.virtualRules ?? [], log);
    const extras = new MastershipExtras(log, vmac, accept, routes.empty ? undefined : routes);
    unclaimed.add(extras);
    return { settings, extras };
  }

  /** The instance runs: from now on its stop disposes this. */
  claim(): void {
    unclaimed.delete(this);
  }

  wrap(io: InstanceIo): InstanceIo {
    return {
      sendAdvert: (priority, interval) => io.sendAdvert(priority, interval),
      sendGarp: (repeat) => io.sendGarp(repeat),
      addVips: () => {
        this.guard('block traffic to the VIPs (no_accept)', () => this.accept?.block());
        io.addVips();
        this.routes?.install();
        this.guard('let the VMAC route (Master)', () => this.vmac && setVmacForwarding(this.vmac, true));
      },
      removeVips: () => {
        this.guard('stop the VMAC routing (not Master)', () => this.vmac && setVmacForwarding(this.vmac, false));
        this.routes?.remove();
        try {
          io.removeVips();
        } finally {
          this.guard('unblock the VIPs (no_accept)', () => this.accept?.unblock());
        }
      },
    };
  }

  /** Instance stopped (after its VIPs were removed): routes, filter and VMAC go. */
  dispose(): void {
    unclaimed.delete(this);
    this.routes?.remove();
    this.guard('remove the no_accept filter', () => this.accept?.dispose());
    this.guard('remove the VMAC interface', () => {
      if (this.vmac) removeVmac(this.vmac);
    });
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error(`failed to ${what}`, { error: (e as Error).message });
    }
  }
}
