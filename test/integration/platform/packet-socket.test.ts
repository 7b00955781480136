import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interfaceInfo } from '../../../src/platform/interfaces.js';
import { withNetns } from '../../../src/platform/netns.js';
import { PacketSocket } from '../../../src/platform/packet-socket.js';
import { PlatformError } from '../../../src/util/errors.js';
import { createVethPair, ip, type VethPair } from './fixture.js';

let pair: VethPair;
beforeAll(async () => {
  pair = await createVethPair();
});
afterAll(async () => {
  await pair?.destroy();
});

/** keepalived's gratuitous ARP (lab notes §4.5): ARP request, SPA = TPA = VIP, THA = broadcast. */
function garp(mac: string, vip: string): Buffer {
  const m = Buffer.from(mac.replace(/:/g, ''), 'hex');
  const ipb = Buffer.from(vip.split('.').map(Number));
  const bcast = Buffer.alloc(6, 0xff);
  return Buffer.concat([bcast, m, Buffer.from('0806000108000604' + '0001', 'hex'), m, ipb, bcast, ipb]);
}

/**
 * Starts tcpdump in a namespace and resolves once it is capturing (it says so on stderr). The process
 * is wrapped in an object: an async function returning execa's promise-like would wait for its exit.
 */
async function capture(ns: string, ifname: string, filter: string): Promise<{ proc: ResultPromise }> {
  const proc = execa(
    'ip',
    ['netns', 'exec', ns, 'tcpdump', '-i', ifname, '-c', '1', '-w', '-', '-U', '--immediate-mode', filter],
    {
      encoding: 'buffer',
      timeout: 10_000,
    },
  );
  await new Promise<void>((resolve, reject) => {
    proc.stderr?.on('data', (d: Buffer) => {
      if (d.toString().includes('listening on')) resolve();
    });
    proc.catch(reject);
  });
  return { proc };
}

describe('PacketSocket', () => {
  it('sends a gratuitous ARP frame that arrives unchanged in the peer namespace', async () => {
    const mac = withNetns(pair.nsA, () => interfaceInfo(pair.ifA).mac);
    const frame = garp(mac, `${pair.v4Prefix}.254`);
    const { proc: tcpdump } = await capture(pair.nsB, pair.ifB, 'arp');
    const sock = withNetns(pair.nsA, () => PacketSocket.open(pair.ifA));
    try {
      sock.send(frame);
    } finally {
      sock.close();
    }
    const { stdout } = await tcpdump;
    // pcap: 24-byte file header, 16-byte record header, then the frame.
    const pcap = stdout as unknown as Uint8Array;
    expect(Buffer.from(pcap).subarray(40)).toEqual(frame);
  });

  it('refuses a frame shorter than an Ethernet header', () => {
    const sock = withNetns(pair.nsA, () => PacketSocket.open(pair.ifA));
    try {
      expect(() => sock.send(Buffer.alloc(10))).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    } finally {
      sock.close();
    }
  });

  it('reports ENETDOWN when the interface is down', async () => {
    const sock = withNetns(pair.nsA, () => PacketSocket.open(pair.ifA));
    await ip(['-n', pair.nsA, 'link', 'set', pair.ifA, 'down']);
    try {
      expect(() => sock.send(garp('02:00:00:00:00:01', '10.0.0.1'))).toThrow(
        expect.objectContaining({ code: 'ENETDOWN' }),
      );
    } finally {
      sock.close();
      await ip(['-n', pair.nsA, 'link', 'set', pair.ifA, 'up']);
    }
  });

  it('opening on a missing interface is a clear ENODEV PlatformError', () => {
    expect(() => withNetns(pair.nsA, () => PacketSocket.open('vptnope0'))).toThrow(
      new PlatformError("interface 'vptnope0' does not exist", 'ENODEV'),
    );
  });
});
