import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interfaceInfo } from '../../../src/platform/interfaces.js';
import { withNetns } from '../../../src/platform/netns.js';
import { type ReceivedPacket, VrrpSocket, type VrrpSocketOptions } from '../../../src/platform/vrrp-socket.js';
import { monotonicUs } from '../../../src/util/clock.js';
import { PlatformError } from '../../../src/util/errors.js';
import { createVethPair, type VethPair, waitFor } from './fixture.js';

// A VRRPv2 advert (vrid 51, prio 100, 1 address, adver 1 s, 192.168.200.16), hand-crafted; the checksum
// does not matter here, the socket layer must not care.
const ADVERT = Buffer.from('2133640100 01f210 c0a8c810 0000000000000000'.replace(/ /g, ''), 'hex');

let pair: VethPair;
const open: VrrpSocket[] = [];

function openIn(ns: string, o: VrrpSocketOptions): { sock: VrrpSocket; got: ReceivedPacket[] } {
  const sock = withNetns(ns, () => VrrpSocket.open(o));
  open.push(sock);
  const got: ReceivedPacket[] = [];
  sock.onPacket((p) => got.push(p));
  return { sock, got };
}

beforeAll(async () => {
  pair = await createVethPair();
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(async () => {
  await pair?.destroy();
});

describe('VrrpSocket IPv4', () => {
  it('multicasts an advert with TTL 255 and TOS 0xc0 that the peer receives, without looping back', async () => {
    const a = openIn(pair.nsA, { family: 4, ifname: pair.ifA, localAddress: pair.v4A, joinMulticast: true });
    const b = openIn(pair.nsB, { family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: true });
    const before = monotonicUs();
    a.sock.send(ADVERT, '224.0.0.18');
    const p = await waitFor('advert in B', () => b.got[0]);
    const ifindexB = withNetns(pair.nsB, () => interfaceInfo(pair.ifB).ifindex);
    expect(p).toMatchObject({ family: 4, src: pair.v4A, dst: '224.0.0.18', ttl: 255, ifindex: ifindexB });
    // The IPv4 header is included: version/IHL, TOS, protocol, then the payload unchanged.
    expect(p.data[0]).toBe(0x45);
    expect(p.data[1]).toBe(0xc0);
    expect(p.data[9]).toBe(112);
    expect(p.data.subarray(20)).toEqual(ADVERT);
    expect(p.receivedAtUs).toBeGreaterThanOrEqual(before);
    expect(p.receivedAtUs).toBeLessThanOrEqual(monotonicUs());

    // Loopback check without a fixed wait: a looped copy would be queued on A before B's reply.
    b.sock.send(ADVERT, '224.0.0.18');
    await waitFor('reply in A', () => a.got[0]);
    expect(a.got.map((x) => x.src)).toEqual([pair.v4B]);
    expect(b.got).toHaveLength(1);
  });

  it('sends unicast with TTL 255 from the configured source', async () => {
    const a = openIn(pair.nsA, { family: 4, ifname: pair.ifA, localAddress: pair.v4A, joinMulticast: false });
    const b = openIn(pair.nsB, { family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: false });
    a.sock.send(ADVERT, pair.v4B);
    const p = await waitFor('unicast in B', () => b.got[0]);
    expect(p).toMatchObject({ src: pair.v4A, dst: pair.v4B, ttl: 255 });
    expect(p.data.subarray(20)).toEqual(ADVERT);
  });

  it('a socket that did not join 224.0.0.18 does not see adverts, even if another socket joined (MULTICAST_ALL off)', async () => {
    const a = openIn(pair.nsA, { family: 4, ifname: pair.ifA, localAddress: pair.v4A, joinMulticast: true });
    const joined = openIn(pair.nsB, { family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: true });
    const notJoined = openIn(pair.nsB, { family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: false });
    a.sock.send(ADVERT, '224.0.0.18');
    await waitFor('advert in the joined socket', () => joined.got[0]);
    a.sock.send(ADVERT, pair.v4B);
    await waitFor('unicast in the unjoined socket', () => notJoined.got[0]);
    expect(notJoined.got.map((p) => p.dst)).toEqual([pair.v4B]);
  });

  it('joins and leaves extra groups', async () => {
    const a = openIn(pair.nsA, { family: 4, ifname: pair.ifA, localAddress: pair.v4A, joinMulticast: false });
    const b = openIn(pair.nsB, { family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: false });
    b.sock.joinGroup('224.0.0.118');
    a.sock.send(ADVERT, '224.0.0.118');
    await waitFor('extra group in B', () => b.got[0]);
    expect(b.got[0]?.dst).toBe('224.0.0.118');
    b.sock.leaveGroup('224.0.0.118');
    expect(() => b.sock.leaveGroup('224.0.0.118')).toThrow(PlatformError);
  });

  it('delivers every queued packet of a burst (drains until EAGAIN)', async () => {
    const a = openIn(pair.nsA, { family: 4, ifname: pair.ifA, localAddress: pair.v4A, joinMulticast: true });
    const b = openIn(pair.nsB, { family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: true });
    for (let i = 0; i < 50; i++) a.sock.send(Buffer.concat([ADVERT, Buffer.from([i])]), '224.0.0.18');
    await waitFor('50 adverts in B', () => b.got.length === 50);
    expect(b.got.map((p) => p.data[p.data.length - 1])).toEqual([...Array(50).keys()]);
  });
});

describe('VrrpSocket IPv6', () => {
  it('multicasts to ff02::12 with hop limit 255 from the link-local address, without looping back', async () => {
    const a = openIn(pair.nsA, { family: 6, ifname: pair.ifA, localAddress: pair.llA, joinMulticast: true });
    const b = openIn(pair.nsB, { family: 6, ifname: pair.ifB, localAddress: pair.llB, joinMulticast: true });
    const v3 = Buffer.from('3133640100640000fe800000000000000000000000000001', 'hex');
    a.sock.send(v3, 'ff02::12');
    const p = await waitFor('advert in B', () => b.got[0]);
    const ifindexB = withNetns(pair.nsB, () => interfaceInfo(pair.ifB).ifindex);
    expect(p).toMatchObject({ family: 6, src: pair.llA, dst: 'ff02::12', ttl: 255, ifindex: ifindexB });
    // IPv6 raw sockets deliver the payload only, and (no IPV6_CHECKSUM) the checksum is left alone.
    expect(p.data).toEqual(v3);

    b.sock.send(v3, 'ff02::12');
    await waitFor('reply in A', () => a.got[0]);
    expect(a.got.map((x) => x.src)).toEqual([pair.llB]);
  });

  it('sends unicast to the peer link-local with hop limit 255', async () => {
    const a = openIn(pair.nsA, {
      family: 6,
      ifname: pair.ifA,
      localAddress: `${pair.llA}%${pair.ifA}`,
      joinMulticast: false,
    });
    const b = openIn(pair.nsB, { family: 6, ifname: pair.ifB, localAddress: pair.llB, joinMulticast: false });
    a.sock.send(ADVERT, pair.llB);
    const p = await waitFor('unicast in B', () => b.got[0]);
    expect(p).toMatchObject({ src: pair.llA, dst: pair.llB, ttl: 255 });
  });
});

describe('VrrpSocket errors', () => {
  it('opening on a missing interface is a clear ENODEV PlatformError', () => {
    const err = (() => {
      try {
        withNetns(pair.nsA, () =>
          VrrpSocket.open({ family: 4, ifname: 'vptnope0', localAddress: '10.0.0.1', joinMulticast: true }),
        );
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ code: 'ENODEV', message: "interface 'vptnope0' does not exist" });
  });

  it('rejects a local address of the wrong family', () => {
    expect(() =>
      VrrpSocket.open({ family: 6, ifname: pair.ifA, localAddress: '10.0.0.1', joinMulticast: true }),
    ).toThrow(/not an IPv6 address/);
  });

  it('send after close throws EBADF and close is idempotent', () => {
    const a = openIn(pair.nsA, { family: 4, ifname: pair.ifA, localAddress: pair.v4A, joinMulticast: true });
    a.sock.close();
    a.sock.close();
    expect(() => a.sock.send(ADVERT, '224.0.0.18')).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('an IPv6 source that is not configured is refused at send time', () => {
    const a = openIn(pair.nsA, { family: 6, ifname: pair.ifA, localAddress: 'fe80::dead', joinMulticast: false });
    expect(() => a.sock.send(ADVERT, 'ff02::12')).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });
});
