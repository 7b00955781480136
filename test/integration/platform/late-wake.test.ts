import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withNetns } from '../../../src/platform/netns.js';
import { VrrpSocket } from '../../../src/platform/vrrp-socket.js';
import { TimerQueue } from '../../../src/runtime/timer-queue.js';
import { monotonicUs } from '../../../src/util/clock.js';
import { createVethPair, type VethPair, waitFor } from './fixture.js';

/**
 * A stalled event loop (start-up under load, a long GC) wakes with a timer and a socket ready in the same
 * turn, and libuv runs them in whatever order epoll lists them: a Backup could act on Master_Down although
 * the Master's advert arrived in time. The daemon's queue drains its sockets on a late wake first.
 */

const ADVERT = Buffer.from('2133640100 01f210 c0a8c810 0000000000000000'.replace(/ /g, ''), 'hex');

let pair: VethPair;
beforeAll(async () => {
  pair = await createVethPair();
});
afterAll(async () => {
  await pair?.destroy();
});

function stallLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: the event loop cannot run
  }
}

describe('late wake', () => {
  it('an advert queued before the deadline is delivered before the late timer fires', async () => {
    const order: string[] = [];
    const queue = new TimerQueue();
    // The timer is armed (its fd registered) before the socket: without the drain, epoll lists it first.
    const entry = { deadlineUs: 0, seq: 0, index: -1, fire: () => order.push('timer') };
    queue.schedule(entry, monotonicUs() + 30_000);
    const rx = withNetns(pair.nsB, () =>
      VrrpSocket.open({ family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: true }),
    );
    const tx = withNetns(pair.nsA, () =>
      VrrpSocket.open({ family: 4, ifname: pair.ifA, localAddress: pair.v4A, joinMulticast: false }),
    );
    try {
      rx.onPacket(() => order.push('packet'));
      queue.onLateWake = () => rx.drainPending();
      tx.send(ADVERT, '224.0.0.18');
      stallLoop(120);
      await waitFor('the timer', () => order.includes('timer'), 3_000);
      expect(order).toEqual(['packet', 'timer']);
    } finally {
      rx.close();
      tx.close();
    }
  });

  it('drainPending before onPacket and after close is a no-op', () => {
    const s = withNetns(pair.nsB, () =>
      VrrpSocket.open({ family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: false }),
    );
    expect(() => s.drainPending()).not.toThrow();
    s.close();
    expect(() => s.drainPending()).not.toThrow();
  });
});
