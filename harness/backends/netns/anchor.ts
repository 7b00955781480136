import { readlink } from 'node:fs/promises';
import { waitFor } from '../../lab/wait-for.js';
import { netnsInode } from '../../platform/procfs.js';

/**
 * Wait until an anchor (`ip netns exec NS sleep infinity`) has really entered its namespace. Until
 * `ip` has called setns(), /proc/<pid>/net shows the ROOT namespace, and an observer reading it
 * would see the wrong addresses.
 */
export async function waitAnchorInNetns(pid: number, netns: string, timeoutMs = 10_000): Promise<void> {
  const ino = await netnsInode(netns);
  const want = `net:[${ino}]`;
  await waitFor(async () => (await readlink(`/proc/${pid}/ns/net`).catch(() => '')) === want, {
    timeoutMs,
    intervalMs: 2,
    description: `anchor ${pid} to enter netns ${netns}`,
  });
}
