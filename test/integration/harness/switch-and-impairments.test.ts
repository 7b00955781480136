import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { netemSupported } from '../../../harness/backends/netns/impairments/index.js';
import { Lab } from '../../../harness/backends/netns/lab.js';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { loadTopologyFile } from '../../../harness/topology/load.js';
import { sendUdp, tempRunsDir } from './helpers/lab-env.js';

let lab: Lab;

beforeAll(async () => {
  const topo = await loadTopologyFile('scenarios/topologies/three-hosts.yaml');
  topo.switches.sw = { name: 'sw', dropMulticast: true, mcastSnooping: false };
  lab = await Lab.build(topo, { runsDir: await tempRunsDir() });
});
afterAll(async () => {
  await lab?.destroy();
});

/** After a heal, ARP may sit in INCOMPLETE/FAILED for a while: wait for reachability, don't assume it. */
const reachable = (host: string, addr: string) =>
  waitFor(() => lab.host(host).canReach(addr), { timeoutMs: 15_000, description: `${host} to reach ${addr}` });

const qdisc = async (netns: string, dev: string) =>
  (await execa('ip', ['netns', 'exec', netns, 'tc', 'qdisc', 'show', 'dev', dev])).stdout;
const operstate = async (netns: string, dev: string) =>
  (JSON.parse((await execa('ip', ['-n', netns, '-j', 'link', 'show', dev])).stdout) as { operstate: string }[])[0]
    ?.operstate;

describe('dropMulticast switch', () => {
  test('drops 224.0.0.18 (counted) but passes unicast', async () => {
    const before = (await lab.dropCounters()).sw?.ipv4.packets ?? -1;
    expect(before).toBe(0);
    // Each probe sends a datagram to 224.0.0.18 and reads the counter, until a drop is counted.
    const after = await waitFor(
      async () => {
        await sendUdp(lab.host('r1').netns, '10.99.0.11', '224.0.0.18', 1);
        return (await lab.dropCounters()).sw?.ipv4.packets ?? 0;
      },
      { timeoutMs: 15_000, intervalMs: 100, description: 'the drop counter to count multicast', until: (n) => n >= 1 },
    );
    expect(after).toBeGreaterThanOrEqual(1);
    expect(await lab.host('r1').canReach('10.99.0.12')).toBe(true);
  });
});

describe('impairments', () => {
  test('netem applies on both sides of the link and undo removes it', async (ctx) => {
    if (!(await netemSupported(lab.host('r2').netns))) ctx.skip();
    const r2 = lab.host('r2');
    const port = r2.primaryLink.port;
    const imp = await lab.impair.netem('r2', { lossPct: 5, delayMs: 20, jitterMs: 5 });
    expect(await qdisc(r2.netns, 'eth0')).toMatch(/netem .*delay 20ms\s+5ms loss 5%/);
    expect(await qdisc(lab.switchNetns, port)).toContain('netem');
    expect(lab.impair.activeImpairments).toContain(imp);
    await imp.undo();
    await imp.undo();
    expect(await qdisc(r2.netns, 'eth0')).not.toContain('netem');
    expect(await qdisc(lab.switchNetns, port)).not.toContain('netem');
    expect(lab.impair.activeImpairments).not.toContain(imp);
  });

  test('without kernel netem, loss falls back to nft in the switch and delay is refused', async (ctx) => {
    if (await netemSupported(lab.host('r2').netns)) ctx.skip();
    await expect(lab.impair.netem('r2', { delayMs: 20 })).rejects.toThrow(/no netem qdisc/);
    const tables = async () =>
      (await execa('ip', ['netns', 'exec', lab.switchNetns, 'nft', 'list', 'tables', 'bridge'])).stdout;
    const before = await tables();
    const loss = await lab.impair.netem('r2', { lossPct: 100 });
    expect(loss.description).toContain('nft');
    expect(await lab.host('r2').canReach('10.99.0.100', { timeoutMs: 500 })).toBe(false);
    await loss.undo();
    expect(await tables()).toBe(before);
    expect(await reachable('r2', '10.99.0.100')).toBe(true);
  });

  test('link down takes the carrier away from the host; undo restores it', async () => {
    const r3 = lab.host('r3');
    {
      await using _down = await lab.impair.linkDown('r3');
      expect(await operstate(lab.switchNetns, r3.primaryLink.port)).toBe('DOWN');
      await waitFor(() => operstate(r3.netns, 'eth0'), {
        timeoutMs: 5000,
        description: 'r3 eth0 to lose carrier',
        until: (s) => s === 'LOWERLAYERDOWN' || s === 'DOWN',
      });
      expect(await r3.canReach('10.99.0.100', { timeoutMs: 500 })).toBe(false);
    }
    await waitFor(() => operstate(r3.netns, 'eth0'), {
      timeoutMs: 5000,
      description: 'r3 eth0 up',
      until: (s) => s === 'UP',
    });
    expect(await reachable('r3', '10.99.0.100')).toBe(true);
  });

  test('flapping runs its cycles and leaves the link up', async () => {
    const flap = lab.impair.flap('r3', { periodMs: 100, count: 3 });
    await flap.done;
    expect(await operstate(lab.switchNetns, lab.host('r3').primaryLink.port)).toBe('UP');
    await flap.undo();
  });

  test('partition separates host sets; undo heals it', async () => {
    const r1 = lab.host('r1');
    const p = await lab.impair.partition(['r1'], ['cl', 'r3']);
    expect(await r1.canReach('10.99.0.100', { timeoutMs: 500 })).toBe(false);
    expect(await lab.host('r3').canReach('10.99.0.11', { timeoutMs: 500 })).toBe(false);
    expect(await r1.canReach('10.99.0.12')).toBe(true);
    await p.undo();
    expect(await reachable('r1', '10.99.0.100')).toBe(true);
  });

  test('dropVrrp installs a proto-112 filter on the port and removes it on undo', async () => {
    const list = async () =>
      (await execa('ip', ['netns', 'exec', lab.switchNetns, 'nft', 'list', 'tables', 'bridge'])).stdout;
    const before = await list();
    const d = await lab.impair.dropVrrp('r1');
    const added = (await list()).split('\n').filter((l) => !before.includes(l));
    expect(added.join()).toContain(`vl_${lab.runId}_v`);
    // Other traffic still passes.
    expect(await lab.host('r1').canReach('10.99.0.100')).toBe(true);
    await d.undo();
    expect(await list()).toBe(before);
  });
});
