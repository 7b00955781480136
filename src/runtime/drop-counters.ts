/** Packets dropped, by reason code (wire reasons, instance reasons, 'not-vrrp', 'truncated', ...). */
export class DropCounters {
  private readonly counts = new Map<string, number>();

  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }

  get(reason: string): number {
    return this.counts.get(reason) ?? 0;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
