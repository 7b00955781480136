import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PeriodicAdvertSender } from '../../../src/platform/periodic-adverts.js';
import type { ReceivedPacket } from '../../../src/platform/vrrp-socket.js';
import { monotonicUs } from '../../../src/util/clock.js';
import { rawAdvert as advert, createVethPair, ip, openIpv4Sockets, type VethPair, waitFor } from './fixture.js';

const PERIOD_US = 20_000;

let pair: VethPair;
const closing: { close(): void }[] = [];

beforeAll(async () => {
  pair = await createVethPair();
});
afterEach(() => {
  for (const c of closing.splice(0)) c.close();
});
afterAll(async () => {
  await pair?.destroy();
});

function setup(onError: (e: Error) => void = () => {}) {
  const { a, b } = openIpv4Sockets(pair);
  const got: ReceivedPacket[] = [];
  b.onPacket((p) => got.push(p));
  const sender = PeriodicAdvertSender.open(pair.ifA, onError);
  if (!sender) throw new Error('the addon has no advert ticker: rebuild it (npm run install)');
  closing.push(sender, a, b);
  return { a, b, got, sender };
}

describe('PeriodicAdvertSender (the addon sends a Master steady adverts)', () => {
  it('sends from the first deadline on, one period apart, without the JS timer; stop ends them', async () => {
    const { a, got, sender } = setup();
    const first = monotonicUs() + 50_000;
    sender.start(a, [{ payload: advert(150), dst: '224.0.0.18' }], first, PERIOD_US);
    expect(sender.nextDeadlineUs).toBe(first);
    await waitFor('10 adverts', () => got.length >= 10);
    sender.stop();
    expect(sender.nextDeadlineUs).toBeUndefined();
    const at = got.map((p) => p.receivedAtUs);
    expect(at[0]).toBeGreaterThanOrEqual(first);
    // Deadlines are absolute (previous + period): the mean spacing is the period, even if one wake was late.
    const mean = (at[9]! - at[0]!) / 9;
    expect(mean).toBeGreaterThan(PERIOD_US * 0.9);
    expect(mean).toBeLessThan(PERIOD_US * 1.25);
    expect(got.every((p) => p.src === pair.v4A && p.dst === '224.0.0.18' && p.ttl === 255)).toBe(true);
    expect(got[0]!.data.subarray(20)).toEqual(advert(150));
    const sent = sender.sent;
    expect(sent).toBeGreaterThanOrEqual(got.length);
    // Nothing after stop: a marker sent by hand is the next packet B sees.
    const n = got.length;
    a.send(advert(1), '224.0.0.18');
    await waitFor('the marker', () => got.length > n);
    expect(got.slice(n).map((p) => p.data[22])).toEqual([1]);
    expect(sender.sent).toBe(sent);
  });

  it('update changes the bytes from the next advert on and keeps the schedule; unicast gets src and TTL', async () => {
    const { a, got, sender } = setup();
    const packet = (priority: number) => ({ payload: advert(priority), dst: pair.v4B, src: pair.v4A, ttl: 7 });
    sender.start(a, [packet(150)], monotonicUs(), PERIOD_US);
    await waitFor('an advert at 150', () => got.length >= 2);
    const next = sender.nextDeadlineUs!;
    sender.update(a, [packet(90)]);
    expect(sender.nextDeadlineUs).toBe(next);
    await waitFor('an advert at 90', () => got.some((p) => p.data[22] === 90));
    sender.stop();
    const priorities = got.map((p) => p.data[22]);
    // Once 90 appears, 150 never comes back.
    expect(priorities.slice(priorities.indexOf(90)).every((p) => p === 90)).toBe(true);
    expect(got.every((p) => p.dst === pair.v4B && p.ttl === 7)).toBe(true);
  });

  it('reports a failed send (interface down) with the errno, and keeps its schedule', async () => {
    const errors: Error[] = [];
    const { a, sender } = setup((e) => errors.push(e));
    await ip(['-n', pair.nsA, 'link', 'set', pair.ifA, 'down']);
    try {
      sender.start(a, [{ payload: advert(150), dst: '224.0.0.18' }], monotonicUs(), PERIOD_US);
      await waitFor('two failed sends', () => errors.length >= 2);
      sender.stop();
      expect(errors[0]).toMatchObject({ code: expect.stringMatching(/^(ENETDOWN|ENETUNREACH)$/) });
      expect(errors[0]!.message).toContain(pair.ifA);
    } finally {
      await ip(['-n', pair.nsA, 'link', 'set', pair.ifA, 'up']);
    }
  });

  it('refuses bad packets without disturbing what runs', () => {
    const { a, sender } = setup();
    sender.start(a, [{ payload: advert(150), dst: '224.0.0.18' }], monotonicUs() + 1e9, PERIOD_US);
    expect(() => sender.update(a, [{ payload: advert(150), dst: 'not-an-address' }])).toThrow(
      expect.objectContaining({ code: 'EINVAL' }),
    );
    expect(() => sender.start(a, [], monotonicUs(), PERIOD_US)).toThrow();
    expect(sender.nextDeadlineUs).toBeGreaterThan(monotonicUs());
  });
});
