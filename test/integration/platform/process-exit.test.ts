import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/platform/native.js';
import { withNetns } from '../../../src/platform/netns.js';
import { VrrpSocket } from '../../../src/platform/vrrp-socket.js';
import { createVethPair, type VethPair } from './fixture.js';

const addon = join(packageRoot(), 'build', 'Release', 'vrrp_socket.node');
const child = join(import.meta.dirname, 'fixtures', 'exit-child.mjs');

let pair: VethPair;
beforeAll(async () => {
  pair = await createVethPair();
});
afterAll(async () => {
  await pair?.destroy();
});

function run(mode: string, nodeArgs: string[] = []) {
  return execa(
    'ip',
    ['netns', 'exec', pair.nsA, process.execPath, ...nodeArgs, child, addon, mode, pair.ifA, pair.v4A, pair.llA],
    {
      // Generous: opening 800 sockets and collecting them takes ~1-3 s on a loaded 2-core machine.
      timeout: 15_000,
      reject: false,
    },
  );
}

describe('process exit', () => {
  it('exits promptly once every socket is closed', async () => {
    const r = await run('close');
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('ready');
  });

  it('exits promptly with receiving sockets that were unref()ed', async () => {
    const r = await run('unref');
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
  });

  it('a receiving socket keeps the process alive until closed from its own callback', async () => {
    const proc = run('ref');
    await new Promise<void>((resolve) => proc.stdout?.once('data', () => resolve()));
    const b = withNetns(pair.nsB, () =>
      VrrpSocket.open({ family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: false }),
    );
    try {
      b.send(Buffer.from('2133640100010000c0a8c810', 'hex'), '224.0.0.18');
    } finally {
      b.close();
    }
    const r = await proc;
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
  });

  it('an exception thrown in a packet callback is an uncaught exception, not swallowed', async () => {
    const proc = run('throw');
    await new Promise<void>((resolve) => proc.stdout?.once('data', () => resolve()));
    const b = withNetns(pair.nsB, () =>
      VrrpSocket.open({ family: 4, ifname: pair.ifB, localAddress: pair.v4B, joinMulticast: false }),
    );
    try {
      b.send(Buffer.from('2133640100010000c0a8c810', 'hex'), '224.0.0.18');
    } finally {
      b.close();
    }
    const r = await proc;
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('thrown from onPacket');
  });

  it('handles dropped without close() are finalized and their fds released', async () => {
    const r = await run('gc', ['--expose-gc']);
    expect(r.exitCode).toBe(0);
    const { before, opened, after } = JSON.parse(r.stdout) as { before: number; opened: number; after: number };
    expect(opened - before).toBe(800);
    expect(after).toBe(before);
  });
});
