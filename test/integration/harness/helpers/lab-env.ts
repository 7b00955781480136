import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { pidsWithEnv } from '../../../../harness/platform/procfs.js';

/** A private runs directory per test file: cleanDeadRuns() in one test never sees another's runs. */
export async function tempRunsDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vrrp-lab-it-'));
}

export async function netnsOfRun(rid: string): Promise<string[]> {
  const names = await readdir('/run/netns').catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(`vl-${rid}-`));
}

export async function taggedPids(rid: string): Promise<number[]> {
  return pidsWithEnv('VRRPLAB_RUN', rid);
}

/** Interface names in the root namespace. */
export async function rootLinks(): Promise<string[]> {
  const { stdout } = await execa('ip', ['-j', 'link', 'show']);
  return (JSON.parse(stdout) as { ifname: string }[]).map((l) => l.ifname);
}

/** Exit code of a command run inside a namespace (no throw). */
export async function exitCodeIn(netns: string, cmd: string, args: string[]): Promise<number> {
  const r = await execa('ip', ['netns', 'exec', netns, cmd, ...args], { reject: false });
  return r.exitCode ?? -1;
}

/** Send `count` UDP datagrams from `src` in `netns` to `dst` (unicast or multicast, TTL 255). */
export async function sendUdp(netns: string, src: string, dst: string, count = 3): Promise<void> {
  const script = `
const [src, dst, count] = process.argv.slice(1);
const d = require('dgram').createSocket(src.includes(':') ? 'udp6' : 'udp4');
d.bind(0, src, async () => {
  if (!src.includes(':')) { d.setMulticastInterface(src); d.setMulticastTTL(255); }
  for (let i = 0; i < Number(count); i++) {
    await new Promise((r, j) => d.send(Buffer.from('vrrp-lab'), 9, dst, (e) => (e ? j(e) : r())));
  }
  d.close();
});`;
  await execa('ip', ['netns', 'exec', netns, process.execPath, '-e', script, src, dst, String(count)]);
}
