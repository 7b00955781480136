/**
 * Accept_Mode False (RFC 5798 §6.1, §6.4.3): a non-owner Master must not accept packets addressed to the
 * VIPs (ARP and ND still answered). keepalived does it with an nftables set filled while Master; vrrpd
 * does the same with its own `vrrpd` table (src/platform/nftables.ts). The table exists from the first
 * mastership of a no-accept instance of its family until the last such instance stops.
 */
import type { VrrpInstance } from '../config/model.js';
import { blockVips, createAcceptTable, deleteAcceptTable, unblockVips } from '../platform/nftables.js';

/** keepalived: the firewall is used for a non-owner instance with `no_accept` (vrrp_strict's default). */
export function needsAcceptFilter(inst: VrrpInstance): boolean {
  return inst.priority !== 255 && !inst.accept;
}

const tableUsers = new Map<4 | 6, number>();

export class AcceptFilter {
  private blocked = false;
  private disposed = false;

  /** Whether this instance counts among the table's users (from its first mastership on). */
  private holdsTable = false;

  constructor(
    private readonly family: 4 | 6,
    private readonly vips: readonly string[],
  ) {}

  /**
   * Before the VIPs are added on becoming Master. The table is created at the first need, as keepalived 2.2.7
   * does: a Backup that has never been Master has none (test/integration/daemon/accept-mode.test.ts).
   */
  block(): void {
    if (this.blocked || this.disposed) return;
    if (!this.holdsTable) {
      const users = tableUsers.get(this.family) ?? 0;
      if (users === 0) createAcceptTable(this.family);
      tableUsers.set(this.family, users + 1);
      this.holdsTable = true;
    }
    blockVips(this.family, this.vips);
    this.blocked = true;
  }

  /** After the VIPs are removed on leaving Master. */
  unblock(): void {
    if (!this.blocked) return;
    this.blocked = false;
    unblockVips(this.family, this.vips);
  }

  /** Instance stopped: its elements go, and the table with the last user. */
  dispose(): void {
    if (this.disposed) return;
    this.unblock();
    this.disposed = true;
    if (!this.holdsTable) return;
    const users = (tableUsers.get(this.family) ?? 1) - 1;
    tableUsers.set(this.family, users);
    if (users === 0) deleteAcceptTable(this.family);
  }
}
