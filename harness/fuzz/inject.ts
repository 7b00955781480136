import { withNetns } from '../../src/platform/netns.js';
import { PacketSocket } from '../../src/platform/packet-socket.js';
import { monotonicMs } from '../../src/util/clock.js';

/**
 * Sends frames from inside a namespace (the AF_PACKET socket keeps the namespace it was opened in) at a
 * target rate: every tick sends what the rate owes since the start, so a slow tick is caught up, not lost.
 */
export async function injectFrames(o: {
  netns: string;
  ifname: string;
  count: number;
  ratePps: number;
  next: (i: number) => Buffer;
  onTick?: (sent: number) => void;
}): Promise<{ sent: number; ms: number }> {
  const socket = withNetns(o.netns, () => PacketSocket.open(o.ifname));
  const t0 = monotonicMs();
  let sent = 0;
  try {
    while (sent < o.count) {
      const owed = Math.min(o.count, Math.floor(((monotonicMs() - t0) / 1000) * o.ratePps) + 1);
      for (; sent < owed; sent++) socket.send(o.next(sent));
      o.onTick?.(sent);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    socket.close();
  }
  return { sent, ms: monotonicMs() - t0 };
}

/** Packets the kernel dropped on raw VRRP sockets (protocol 112) of a namespace, from /proc/<pid>/net/raw. */
export function rawVrrpSocketDrops(procNetRaw: string): number {
  let drops = 0;
  for (const line of procNetRaw.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13 || !f[1]?.endsWith(':0070')) continue;
    drops += Number(f.at(-1)) || 0;
  }
  return drops;
}
