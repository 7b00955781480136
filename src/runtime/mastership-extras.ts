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
import { addressVmacPlans, applyVmacPlan, vmacNames, vmacPlan } from './vmac-plan.js';

/** Set up but not yet owned by a running instance (a later step of the instance's creation may fail). */
const unclaimed = new Set<MastershipExtras>();
/** Names of the address VMACs (use_vmac_addr) of every live instance: a new one must not take them. */
const addressVmacNames = new Set<string>();

export class MastershipExtras {
  /** Undoes every setup whose instance never started (called when creating instances failed). */
  static disposeUnclaimed(): void {
    for (const e of unclaimed) e.dispose();
  }

  private constructor(
    private readonly log: Logger,
    /** The instance's VMAC (use_vmac) first, then its address VMACs (use_vmac_addr). */
    private readonly vmacs: VmacHandle[],
    private readonly addressVmacs: string[],
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
    const names = vmacNames(config.vrrpInstances, config.globalDefs);
    const plan = vmacPlan(inst, names.get(inst.name));
    const vmacs: VmacHandle[] = [];
    const ownNames: string[] = [];
    let accept: AcceptFilter | undefined;
    try {
      if (plan) {
        vmacs.push(
          createVmac({
            name: plan.name,
            parent: plan.parent,
            mac: plan.mac,
            family: plan.family,
            // IPv6 adverts from the VMAC need a link-local source on it: the one they would have used.
            ...(plan.family === 6 && !plan.xmitBase ? { linkLocal: settings.primaryAddress } : {}),
          }),
        );
        settings = applyVmacPlan(settings, plan);
        log.info('VMAC interface ready', { instance: inst.name, vmac: plan.name, mac: plan.mac });
      }
      const taken = new Set([...names.values(), ...addressVmacNames]);
      const forAddresses = addressVmacPlans(inst, settings, config.globalDefs, taken);
      for (const p of forAddresses.plans) {
        vmacs.push(createVmac(p));
        ownNames.push(p.name);
        addressVmacNames.add(p.name);
        log.info('VMAC interface ready for addresses', { instance: inst.name, vmac: p.name, parent: p.parent });
      }
      settings = forAddresses.settings;
      if (needsAcceptFilter(inst))
        accept = new AcceptFilter(
          settings.family,
          settings.vips.map((v) => v.address),
        );
    } catch (e) {
      for (const v of vmacs) removeVmac(v);
      for (const n of ownNames) addressVmacNames.delete(n);
      throw e;
    }
    const routes = new RouteSet(inst.virtualRoutes ?? [], inst.virtualRules ?? [], log);
    const extras = new MastershipExtras(log, vmacs, ownNames, accept, routes.empty ? undefined : routes);
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
      ...(io.periodic ? { periodic: io.periodic } : {}),
      ...(io.masterDown ? { masterDown: io.masterDown } : {}),
      addVips: () => {
        this.guard('block traffic to the VIPs (no_accept)', () => this.accept?.block());
        io.addVips();
        this.routes?.install();
        this.guard('let the VMAC route (Master)', () => {
          for (const v of this.vmacs) setVmacForwarding(v, true);
        });
      },
      removeVips: () => {
        this.guard('stop the VMAC routing (not Master)', () => {
          for (const v of this.vmacs) setVmacForwarding(v, false);
        });
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
    for (const v of this.vmacs) this.guard(`remove the VMAC interface ${v.spec.name}`, () => removeVmac(v));
    for (const n of this.addressVmacs) addressVmacNames.delete(n);
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error(`failed to ${what}`, { error: (e as Error).message });
    }
  }
}
