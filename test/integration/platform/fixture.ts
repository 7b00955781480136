/**
 * Two network namespaces joined by a veth pair, named with a per-run random tag (vpt-<tag>-a/b) so
 * parallel runs never collide. Nothing is created in the root namespace: the veth is created inside
 * namespace A with its peer moved straight into B.
 */
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { linkState } from '../../../src/platform/interfaces.js';
import { withNetns } from '../../../src/platform/netns.js';
import { VrrpSocket } from '../../../src/platform/vrrp-socket.js';

export interface VethPair {
  tag: string;
  nsA: string;
  nsB: string;
  ifA: string;
  ifB: string;
  v4A: string;
  v4B: string;
  v4Prefix: string;
  llA: string;
  llB: string;
  v6Prefix: string;
  destroy(): Promise<void>;
}

export async function ip(args: string[]): Promise<string> {
  return (await execa('ip', args)).stdout;
}

export async function nsExec(ns: string, cmd: string, args: string[]): Promise<string> {
  return (await execa('ip', ['netns', 'exec', ns, cmd, ...args])).stdout;
}

/** Polls a condition (no fixed sleeps): resolves with its first truthy value, rejects after timeoutMs. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function createVethPair(): Promise<VethPair> {
  const tag = randomBytes(2).toString('hex');
  const octet = Number.parseInt(tag.slice(0, 2), 16);
  const p: VethPair = {
    tag,
    nsA: `vpt-${tag}-a`,
    nsB: `vpt-${tag}-b`,
    ifA: `vpt${tag}a`,
    ifB: `vpt${tag}b`,
    v4A: `10.211.${octet}.1`,
    v4B: `10.211.${octet}.2`,
    v4Prefix: `10.211.${octet}`,
    llA: 'fe80::a',
    llB: 'fe80::b',
    // Leading 1: the group never starts with 0, so the prefix is already in canonical form (kernel output).
    v6Prefix: `2001:db8:1${tag.slice(1)}`,
    destroy: async () => {
      await execa('ip', ['netns', 'del', p.nsA], { reject: false });
      await execa('ip', ['netns', 'del', p.nsB], { reject: false });
    },
  };
  try {
    await ip(['netns', 'add', p.nsA]);
    await ip(['netns', 'add', p.nsB]);
    await ip(['-n', p.nsA, 'link', 'add', p.ifA, 'type', 'veth', 'peer', 'name', p.ifB, 'netns', p.nsB]);
    for (const [ns, ifname, v4, ll] of [
      [p.nsA, p.ifA, p.v4A, p.llA],
      [p.nsB, p.ifB, p.v4B, p.llB],
    ] as const) {
      // Fixed link-locals without DAD: deterministic addresses, usable as a source at once.
      await nsExec(ns, 'sysctl', ['-qw', `net.ipv6.conf.${ifname}.accept_dad=0`]);
      await ip(['-n', ns, 'link', 'set', 'dev', ifname, 'addrgenmode', 'none']);
      await ip(['-n', ns, 'addr', 'add', `${v4}/24`, 'dev', ifname]);
      await ip(['-n', ns, 'addr', 'add', `${ll}/64`, 'dev', ifname, 'nodad']);
      await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      await ip(['-n', ns, 'link', 'set', ifname, 'up']);
    }
    // Carrier (IFF_RUNNING) comes through linkwatch, possibly later than `ip link set up` returns;
    // until then the qdisc drops what we send.
    await waitFor('both veth ends running', () =>
      [
        [p.nsA, p.ifA],
        [p.nsB, p.ifB],
      ].every(([ns, ifn]) => withNetns(ns!, () => linkState(ifn!).up)),
    );
  } catch (err) {
    await p.destroy();
    throw err;
  }
  return p;
}

/** A VRRPv3 advert (the VRRP bytes) at `priority`; the checksum does not matter to the socket layer. */
export const rawAdvert = (priority: number, vrid = 51): Buffer =>
  Buffer.from([0x31, vrid, priority, 1, 0, 10, 0, 0, 10, 9, 9, 9]);

/** IPv4 VRRP sockets at both ends: `a` sends (joins nothing), `b` listens to 224.0.0.18. */
export function openIpv4Sockets(pair: VethPair): { a: VrrpSocket; b: VrrpSocket } {
  const a = withNetns(pair.nsA, () =>
    VrrpSocket.open({ family: 4, ifname: pair.ifA, localAddress: pair.v4A, joinMulticast: false }),
  );
  const b = withNetns(pair.nsB, () =>
    VrrpSocket.open({ family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: true }),
  );
  return { a, b };
}
