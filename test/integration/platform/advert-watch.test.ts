import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdvertWatch } from '../../../src/platform/advert-watch.js';
import { PeriodicAdvertSender } from '../../../src/platform/periodic-adverts.js';
import type { ReceivedPacket } from '../../../src/platform/vrrp-socket.js';
import { monotonicUs } from '../../../src/util/clock.js';
import { rawAdvert as advert, createVethPair, openIpv4Sockets, type VethPair, waitFor } from './fixture.js';

const PERIOD_US = 10_000;
const INTERVAL_US = 35_000;

let pair: VethPair;
const closing: { close(): void }[] = [];

beforeAll(async () => {
  pair = await createVethPair();
});
afterEach(() => {
  for (const c of closing.splice(0).reverse()) c.close();
});
afterAll(async () => {
  await pair?.destroy();
});

/** A sends with the addon's ticker; B receives, and starts a watch on the first packet it is told to. */
function setup() {
  const { a, b } = openIpv4Sockets(pair);
  const got: ReceivedPacket[] = [];
  b.onPacket((p) => got.push(p));
  const expiries: number[] = [];
  const watch = AdvertWatch.open(pair.ifB, (atUs) => expiries.push(atUs));
  const sender = PeriodicAdvertSender.open(pair.ifA, () => {});
  if (!watch || !sender) throw new Error('the addon has no advert watch or ticker: rebuild it (npm run install)');
  closing.push(a, b, sender, watch);
  return { a, b, got, watch, sender, expiries };
}

describe('AdvertWatch (the addon restarts a Backup Master_Down for repeated adverts)', () => {
  it('takes identical repeats off JS, restarts the timer from each, and expires an interval after the last', async () => {
    const { a, b, got, watch, sender, expiries } = setup();
    sender.start(a, [{ payload: advert(150), dst: '224.0.0.18' }], monotonicUs(), PERIOD_US);
    const first = await waitFor('the first advert', () => got[0]);
    watch.start(b, first, first.receivedAtUs + INTERVAL_US, INTERVAL_US);
    const delivered = got.length;
    await waitFor('20 repeats absorbed', () => watch.absorbed >= 20 || undefined, 3000);
    // None of the repeats reached JS, and the timer never expired while they came.
    expect(got.length).toBeLessThanOrEqual(delivered + 1); // one may have been queued before start
    expect(expiries).toEqual([]);
    const deadline = watch.deadlineUs!;
    expect(deadline).toBeGreaterThan(monotonicUs());
    expect(deadline).toBeLessThanOrEqual(monotonicUs() + INTERVAL_US);

    sender.stop();
    const stoppedAt = monotonicUs();
    await waitFor('the expiry', () => expiries[0], 2000);
    const expiredAt = expiries[0]!;
    // Expires one interval after the last repeat's arrival, never before.
    expect(expiredAt - stoppedAt).toBeGreaterThanOrEqual(INTERVAL_US - PERIOD_US - 1000);
    expect(expiredAt - stoppedAt).toBeLessThan(INTERVAL_US + 200_000);
    expect(watch.deadlineUs).toBeUndefined();
    const summary = watch.stop();
    expect(summary.absorbed).toBeGreaterThanOrEqual(20);
    expect(expiredAt).toBeGreaterThanOrEqual(summary.lastAtUs + INTERVAL_US);
  });

  it('delivers any other packet to JS: another priority, another VRID, another source', async () => {
    const { a, b, got, watch, expiries } = setup();
    a.send(advert(150), '224.0.0.18');
    const first = await waitFor('the first advert', () => got[0]);
    watch.start(b, first, monotonicUs() + 5_000_000, INTERVAL_US);
    a.send(advert(150), '224.0.0.18'); // a repeat
    await waitFor('the repeat absorbed', () => watch.absorbed === 1 || undefined);
    a.send(advert(90), '224.0.0.18');
    a.send(advert(150, 52), '224.0.0.18');
    a.send(advert(150), pair.v4B); // same bytes, unicast: another destination
    await waitFor('three packets in JS', () => got.length === 4 || undefined);
    expect(got.slice(1).map((p) => [p.data[21], p.data[22], p.dst])).toEqual([
      [51, 90, '224.0.0.18'],
      [52, 150, '224.0.0.18'],
      [51, 150, pair.v4B],
    ]);
    expect(watch.absorbed).toBe(1);
    expect(expiries).toEqual([]);
  });

  it('stops absorbing when stopped or when its socket closes', async () => {
    const { a, b, got, watch } = setup();
    a.send(advert(150), '224.0.0.18');
    const first = await waitFor('the first advert', () => got[0]);
    watch.start(b, first, monotonicUs() + 5_000_000, INTERVAL_US);
    expect(watch.stop()).toEqual({ absorbed: 0, lastAtUs: 0 });
    a.send(advert(150), '224.0.0.18');
    await waitFor('the repeat in JS after stop', () => got.length === 2 || undefined);
    watch.start(b, first, monotonicUs() + 5_000_000, INTERVAL_US);
    b.close();
    // The watch outlives its socket: it absorbs nothing, and its timer still runs.
    expect(watch.deadlineUs).toBeGreaterThan(monotonicUs());
    expect(watch.absorbed).toBe(0);
    expect(() => watch.start(b, first, monotonicUs(), INTERVAL_US)).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });
});
