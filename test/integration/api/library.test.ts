import { describe, expect, it } from 'vitest';
// The package by its own name, as another project's test suite imports it (package.json "exports").
import { VrrpLab } from 'vrrp-lab';
import 'vrrp-lab/vitest';

const VIP = '10.99.0.254';
const isRoot = process.getuid?.() === 0;

/** The README's library example: three routers (150/100/50) under keepalived, the Master crashed. */
describe.skipIf(!isRoot)('library API: VrrpLab', () => {
  it('crash the Master: the next priority takes over inside the RFC window', async () => {
    await using lab = await new VrrpLab('three-hosts.yaml')
      .withImplementation('keepalived')
      .withOverrides({ vrrp: { version: 3, advertIntervalS: 0.2 } })
      .start();
    await lab.waitForHolder(VIP, 'r1', { timeoutMs: 15_000 });
    expect(lab.holders(VIP)).toEqual(['r1']);

    const crashMs = lab.mark('crash');
    await lab.host('r1').crash();
    await lab.waitForHolder(VIP, 'r2', { timeoutMs: 15_000, exclusive: false });
    // zx's $ runs inside r2's namespace: the kernel there has the VIP.
    const { stdout } = await lab.host('r2').$`ip -o addr show dev eth0`;
    expect(stdout).toContain(`${VIP}/`);

    const timeline = await lab.timeline();
    expect(timeline.faults.map((f) => f.label)).toContain('crash r1');
    expect(timeline).toFailOverWithinRfcWindow({
      oldMaster: 'r1',
      newMaster: 'r2',
      faultMs: crashMs,
      settings: lab.topology.hosts.r2!.vrrp[0]!,
      toleranceMs: 150,
      vip: VIP,
    });
  });

  it('plain JavaScript on Node 20: dispose in finally removes the run', async () => {
    const lab = await new VrrpLab('three-hosts.yaml').withDaemonsStopped().start();
    const { runDir } = lab;
    try {
      expect(lab.holders(VIP)).toEqual([]);
      const { stdout } = await lab.host('r3').$`echo $VRRPLAB_RUN; cat /proc/self/net/dev | grep -c eth0`;
      expect(stdout.split('\n')[0]).toBe(lab.runId);
    } finally {
      await lab[Symbol.asyncDispose]();
    }
    const { existsSync } = await import('node:fs');
    expect(existsSync(runDir)).toBe(false);
  });
});
