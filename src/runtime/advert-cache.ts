/**
 * The last encoded advert per destination. A Master sends the same bytes every Advertisement_Interval
 * (priority and interval change only on events), so the message and its checksum are encoded once and the
 * same buffer is handed to the kernel again (sendto copies it): no allocation and no checksum per advert.
 */
export class AdvertCache {
  private readonly byDst = new Map<string, { priority: number; intervalCs: number; message: Buffer }>();

  constructor(private readonly encode: (priority: number, intervalCs: number, dst: string) => Buffer) {}

  get(priority: number, intervalCs: number, dst: string): Buffer {
    const hit = this.byDst.get(dst);
    if (hit && hit.priority === priority && hit.intervalCs === intervalCs) return hit.message;
    const message = this.encode(priority, intervalCs, dst);
    this.byDst.set(dst, { priority, intervalCs, message });
    return message;
  }
}
