/**
 * Packets dropped, by reason code (wire reasons, instance reasons, 'not-vrrp', 'truncated', ...), and the
 * number of packets dropped: one packet with three faults adds 1 to each of its three reasons and 1 to
 * `packets`, so the total reconciles with what was received.
 */
export class DropCounters {
  private readonly counts = new Map<string, number>();
  private packetCount = 0;

  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }

  /** One dropped packet and every reason it was dropped for. */
  dropPacket(reasons: readonly string[]): void {
    this.packetCount++;
    for (const r of reasons) this.add(r);
  }

  get(reason: string): number {
    return this.counts.get(reason) ?? 0;
  }

  /** Packets dropped (each once, whatever its number of reasons). */
  get packets(): number {
    return this.packetCount;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
