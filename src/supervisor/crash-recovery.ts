import { removeAddress, VrrpSocket } from '../platform/index.js';
import { deleteLink } from '../platform/link-delete.js';
import type { CrashState, CrashStateInstance } from './crash-state-format.js';

export interface RecoveryReport {
  /** Instances that were Master and got their priority-0 advert out. */
  released: string[];
  advertsSent: number;
  vipsRemoved: number;
  linksDeleted: string[];
  errors: string[];
}

/** keepalived names the VMAC macvlan of an instance `vrrp.<VRID>` (or a name given after use_vmac). */
const VMAC_PREFIX = 'vrrp.';

/**
 * Undoes what a dead worker left live, in the order of a clean shutdown (RFC 5798 §6.4.3): each Master's
 * priority-0 advert first, so the Backups take over after Skew_Time instead of Master_Down_Interval, then
 * the VIPs (of every instance: the file may be one transition behind), then the VMAC interfaces. One failing
 * step does not stop the others; each failure is reported.
 */
export function recoverFromCrash(state: CrashState): RecoveryReport {
  const r: RecoveryReport = { released: [], advertsSent: 0, vipsRemoved: 0, linksDeleted: [], errors: [] };
  const attempt = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      r.errors.push(`${what}: ${(e as Error).message}`);
    }
  };
  for (const inst of state.instances.filter((i) => i.priorityZero.length > 0)) {
    attempt(`${inst.name}: priority-0 advert`, () => {
      r.advertsSent += sendPriorityZero(inst);
      r.released.push(inst.name);
    });
  }
  for (const inst of state.instances) {
    for (const v of inst.vips) {
      attempt(`${inst.name}: remove ${v.cidr}`, () => {
        if (removeAddress(v.dev, v.cidr)) r.vipsRemoved++;
      });
    }
  }
  const vmacs = new Set(state.instances.map((i) => i.ifname).filter((n) => n.startsWith(VMAC_PREFIX)));
  for (const ifname of vmacs) {
    attempt(`delete ${ifname}`, () => {
      if (deleteLink(ifname)) r.linksDeleted.push(ifname);
    });
  }
  return r;
}

function sendPriorityZero(inst: CrashStateInstance): number {
  const socket = VrrpSocket.open({
    family: inst.family,
    ifname: inst.ifname,
    localAddress: inst.source,
    joinMulticast: false,
  });
  try {
    for (const p of inst.priorityZero) socket.send(Buffer.from(p.hex, 'hex'), p.dst);
    return inst.priorityZero.length;
  } finally {
    socket.close();
  }
}
