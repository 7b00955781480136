import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A switch netns with one bridge and two host netns joined by veth pairs created directly between the
 * namespaces (nothing in the root namespace), plus a `sleep infinity` anchor per host, like the netns backend's.
 */
export interface TinyTopology {
  id: string;
  sw: string;
  bridge: string;
  hosts: { name: string; netns: string; anchorPid: number; ip: string; mac: string }[];
  destroy(): Promise<void>;
}

export async function sh(cmd: string, args: string[]): Promise<string> {
  return (await run(cmd, args)).stdout;
}

export async function buildTinyTopology(subnet = '10.97.0'): Promise<TinyTopology> {
  const id = `vot-${randomBytes(2).toString('hex')}`;
  const sw = `${id}-sw`;
  const bridge = `${id}-br`;
  const anchors: ChildProcess[] = [];
  const made: string[] = [];
  const destroy = async () => {
    for (const a of anchors) a.kill('SIGKILL');
    for (const ns of made.reverse()) await run('ip', ['netns', 'del', ns]).catch(() => undefined);
  };
  try {
    const batch = [
      `netns add ${sw}`,
      `-n ${sw} link set lo up`,
      `-n ${sw} link add ${bridge} type bridge forward_delay 0 mcast_snooping 0`,
      `-n ${sw} link set ${bridge} up`,
    ];
    made.push(sw);
    const hosts: TinyTopology['hosts'] = [];
    for (const [i, h] of ['h1', 'h2'].entries()) {
      const netns = `${id}-${h}`;
      made.push(netns);
      const ip = `${subnet}.${11 + i}`;
      batch.push(
        `netns add ${netns}`,
        `-n ${netns} link set lo up`,
        `-n ${netns} link add eth0 type veth peer name ${id}-p${i} netns ${sw}`,
        `-n ${netns} addr add ${ip}/24 dev eth0`,
        `-n ${netns} link set eth0 up`,
        `-n ${sw} link set ${id}-p${i} master ${bridge}`,
        `-n ${sw} link set ${id}-p${i} up`,
      );
      hosts.push({ name: h, netns, anchorPid: 0, ip, mac: '' });
    }
    for (const cmd of batch) await run('ip', cmd.split(' '));
    for (const h of hosts) {
      const a = spawn('ip', ['netns', 'exec', h.netns, 'sleep', 'infinity'], { stdio: 'ignore' });
      anchors.push(a);
      h.anchorPid = a.pid!;
      h.mac = (await sh('ip', ['netns', 'exec', h.netns, 'cat', '/sys/class/net/eth0/address'])).trim();
    }
    return { id, sw, bridge, hosts, destroy };
  } catch (err) {
    await destroy();
    throw err;
  }
}

/**
 * Send raw Ethernet frames from a host netns with AF_PACKET (no arping/ping on this machine). Prints, per frame,
 * CLOCK_MONOTONIC ns just before send(): the same clock as process.hrtime, so send times are directly comparable.
 */
const SENDER = `
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('eth0', 0))
out = []
for h in sys.argv[1:]:
    f = bytes.fromhex(h)
    out.append(time.clock_gettime_ns(time.CLOCK_MONOTONIC))
    s.send(f)
print(' '.join(map(str, out)))
`;

export async function sendFrames(netns: string, frames: readonly Uint8Array[]): Promise<number[]> {
  const hex = frames.map((f) => Buffer.from(f).toString('hex'));
  const { stdout } = await run('ip', ['netns', 'exec', netns, 'python3', '-c', SENDER, ...hex], {
    maxBuffer: 16 << 20,
  });
  return stdout
    .trim()
    .split(' ')
    .map((ns) => Number(BigInt(ns) / 1000n) / 1000);
}
