import { readSysctl, writeSysctl } from '../platform/sysctl.js';
import type { Logger } from '../util/logger.js';

/**
 * `promote_secondaries`: while an instance that asks for it runs, net.ipv4.conf.IF.promote_secondaries = 1, so
 * deleting the primary address of a subnet promotes the VIPs of that subnet instead of deleting them with it.
 * Like keepalived 2.2.7, the value found is put back when the last such instance on the interface stops
 * (test/integration/keywords/promote-secondaries.test.ts compares both).
 */
export class PromoteSecondaries {
  private readonly held = new Map<string, { users: number; saved: number }>();

  constructor(private readonly log: Logger) {}

  acquire(ifname: string): void {
    const h = this.held.get(ifname);
    if (h) {
      h.users++;
      return;
    }
    const key = ['net', 'ipv4', 'conf', ifname, 'promote_secondaries'];
    const saved = readSysctl(key) ?? 0;
    if (saved !== 1) writeSysctl(key, 1);
    this.held.set(ifname, { users: 1, saved });
  }

  release(ifname: string): void {
    const h = this.held.get(ifname);
    if (!h || --h.users > 0) return;
    this.held.delete(ifname);
    if (h.saved === 1) return;
    try {
      writeSysctl(['net', 'ipv4', 'conf', ifname, 'promote_secondaries'], h.saved);
    } catch (e) {
      // The interface may be gone already (a deleted VMAC, an unplugged link): nothing to restore then.
      this.log.debug('promote_secondaries not restored', { ifname, error: (e as Error).message });
    }
  }
}
