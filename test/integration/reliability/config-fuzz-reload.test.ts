import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePidFromFile } from '../../../harness/adapters/proc.js';
import { vrrpdAdapter, vrrpdCliPath, vrrpdFiles } from '../../../harness/adapters/vrrpd.js';
import { mutatedConfig } from '../../../harness/fuzz/config-fuzz.js';
import { defineTopology, Lab, waitFor } from '../../../harness/lab/index.js';
import { configTestCommand } from '../../../src/cli/config-test-command.js';
import { memorySource } from '../../../src/config/source.js';
import { queryControlSocket } from '../../../src/runtime/control-server.js';
import type { DaemonStatus } from '../../../src/runtime/status.js';

/**
 * SIGHUP with mutated versions of the running configuration that `vrrpd -t` rejects: each reload is refused
 * and the running Master is not disturbed (same state, no transition, VIP still there, daemon alive).
 */
const SAMPLE = 15;

describe.skipIf(!existsSync(vrrpdCliPath()))('SIGHUP with rejected mutated configs', () => {
  let lab: Lab;
  const host = () => lab.adapterHost('r1');

  beforeAll(async () => {
    lab = await Lab.build(
      defineTopology({
        name: 'cfgfuzz',
        switches: { sw: {} },
        hosts: {
          r1: {
            role: 'router',
            links: [{ switch: 'sw', address: '10.94.0.11/24' }],
            vrrp: [{ vrid: 41, priority: 150, version: 3, advertIntervalS: 0.2, vips: ['10.94.0.254/24'] }],
          },
        },
      }),
    );
    await vrrpdAdapter.render(host());
    await vrrpdAdapter.start(host());
    await waitFor(() => lab.host('r1').hasLocalAddress('10.94.0.254'), { timeoutMs: 20_000, description: 'r1 Master' });
  });

  afterAll(async () => {
    if (lab) {
      await vrrpdAdapter.stop(host()).catch(() => undefined);
      await lab.destroy();
    }
  });

  it(`${SAMPLE} rejected reloads leave the Master untouched`, async () => {
    const f = vrrpdFiles(host());
    const original = await readFile(f.conf, 'utf8');
    const status = async () => (await queryControlSocket(f.socket, 'status')) as DaemonStatus;
    const before = (await status()).instances[0]!;
    expect(before.state).toBe('MASTER');
    const rejected: string[] = [];
    for (let i = 0; rejected.length < SAMPLE && i < 1000; i++) {
      const m = mutatedConfig([{ path: f.conf, text: original }], 42, i);
      if (configTestCommand(f.conf, memorySource({ [f.conf]: m.text })).exitCode === 1) rejected.push(m.text);
    }
    expect(rejected).toHaveLength(SAMPLE);
    const pid = await livePidFromFile(f.pid);
    const refusals = async () => (await readFile(f.log, 'utf8')).split('reload rejected').length - 1;
    try {
      for (const text of rejected) {
        const n = await refusals();
        await writeFile(f.conf, text);
        process.kill(pid!, 'SIGHUP');
        await waitFor(refusals, { timeoutMs: 10_000, description: 'the reload refused', until: (k) => k > n });
      }
    } finally {
      await writeFile(f.conf, original);
    }
    const after = (await status()).instances[0]!;
    expect(after.state).toBe('MASTER');
    expect(after.counters.transitions).toBe(before.counters.transitions);
    // The 15 refusals can all fit inside one advert interval, so "still advertising" is waited for, not sampled.
    const later = await waitFor(status, {
      timeoutMs: 5_000,
      description: 'adverts still sent after the refused reloads',
      until: (s) => s.instances[0]!.counters.advertsSent >= after.counters.advertsSent + 3,
    });
    expect(later.instances[0]!.counters.transitions).toBe(before.counters.transitions);
    expect(await lab.host('r1').hasLocalAddress('10.94.0.254')).toBe(true);
  });
});
