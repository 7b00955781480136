import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuiltInImpl } from '../../../harness/adapters/built-in-names.js';
import { keepalivedAdapter } from '../../../harness/adapters/keepalived.js';
import { logTail } from '../../../harness/adapters/proc.js';
import type { ReportedInstanceState } from '../../../harness/adapters/types.js';
import { vrrpdAdapter, vrrpdCliPath, vrrpdFiles } from '../../../harness/adapters/vrrpd.js';
import { defineTopology, Lab, waitFor } from '../../../harness/lab/index.js';
import type { VrrpInstanceSettings } from '../../../harness/topology/vrrp-settings.js';

/**
 * vrrpd in the same VRID and on the same link as keepalived 2.2.7 and FRR 8.4.4 (issue 3, "Interop"):
 * elect the right Master, hand over on SIGTERM, preempt back, honour nopreempt. Each test builds a
 * two-router lab whose routers pin different implementations.
 */

const VIP4 = '10.99.0.254';
const VIP6 = 'fd00:99::254';

type Inst = Partial<VrrpInstanceSettings> & { priority: number };

function mixedLab(r1: { impl: BuiltInImpl; inst: Inst }, r2: { impl: BuiltInImpl; inst: Inst }, ipv6 = false) {
  const vip = ipv6 ? `${VIP6}/64` : `${VIP4}/24`;
  const router = (n: number, spec: { impl: BuiltInImpl; inst: Inst }) => ({
    role: 'router' as const,
    impl: spec.impl,
    links: [{ switch: 'sw', addresses: [`10.99.0.1${n}/24`, `fd00:99::1${n}/64`] }],
    vrrp: [{ vrid: 51, vips: [vip], ...spec.inst }],
  });
  return Lab.build(
    defineTopology({
      name: 'interop',
      switches: { sw: {} },
      hosts: { r1: router(1, r1), r2: router(2, r2) },
    }),
  );
}

async function stateOf(lab: Lab, host: string): Promise<ReportedInstanceState['state']> {
  const adapter = lab.adapterFor(host);
  if (!adapter) return 'UNKNOWN';
  const [first] = await adapter.state(lab.adapterHost(host));
  return first?.state ?? 'UNKNOWN';
}

async function waitStates(lab: Lab, want: Record<string, ReportedInstanceState['state']>, timeoutMs = 15_000) {
  await waitFor(
    async () => {
      const got: Record<string, string> = {};
      for (const h of Object.keys(want)) got[h] = await stateOf(lab, h);
      return Object.entries(want).every(([h, s]) => got[h] === s) ? got : false;
    },
    { timeoutMs, intervalMs: 50, description: `states ${JSON.stringify(want)}` },
  );
}

/**
 * The states must hold for `ms` (longer than the Backup's Master_Down_Interval): a Backup that does not
 * hear the Master's adverts would promote itself within that window, so this proves they interoperate.
 */
async function holdStates(lab: Lab, want: Record<string, ReportedInstanceState['state']>, ms: number) {
  await waitStates(lab, want);
  const until = Date.now() + ms;
  await waitFor(
    async () => {
      for (const [h, s] of Object.entries(want)) {
        const got = await stateOf(lab, h);
        if (got !== s) throw new Error(`${h} left ${s} for ${got} during the steady window`);
      }
      return Date.now() >= until;
    },
    { timeoutMs: ms + 10_000, intervalMs: 100, description: `states held for ${ms} ms` },
  );
}

const built = existsSync(vrrpdCliPath());
const frr = existsSync('/usr/lib/frr/vrrpd');
let lab: Lab | undefined;

afterEach(async () => {
  await lab?.stopImplementation().catch(() => undefined);
  await lab?.destroy();
  lab = undefined;
});

describe.skipIf(!built)('vrrpd interoperates with keepalived', () => {
  it('VRRPv2 with PASS auth at 1 s: right Master, handover on SIGTERM, preempt back', async () => {
    const v2 = { version: 2 as const, advertIntervalS: 1, authPass: 's3cr3t' };
    lab = await mixedLab(
      { impl: 'vrrpd', inst: { priority: 150, ...v2 } },
      { impl: 'keepalived', inst: { priority: 100, ...v2 } },
    );
    await lab.startImplementation(vrrpdAdapter);
    await holdStates(lab, { r1: 'MASTER', r2: 'BACKUP' }, 4_000);
    expect(await lab.host('r1').hasLocalAddress(VIP4)).toBe(true);
    expect(await lab.host('r2').hasLocalAddress(VIP4)).toBe(false);

    await vrrpdAdapter.stop(lab.adapterHost('r1'));
    await waitStates(lab, { r2: 'MASTER' });
    expect(await lab.host('r1').hasLocalAddress(VIP4)).toBe(false);

    await vrrpdAdapter.start(lab.adapterHost('r1'));
    await waitStates(lab, { r1: 'MASTER', r2: 'BACKUP' });
  });

  it('VRRPv3 at 0.1 s: keepalived (150) is Master over vrrpd, vrrpd takes over on SIGTERM and yields on return', async () => {
    const v3 = { version: 3 as const, advertIntervalS: 0.1 };
    lab = await mixedLab(
      { impl: 'keepalived', inst: { priority: 150, ...v3 } },
      { impl: 'vrrpd', inst: { priority: 100, ...v3 } },
    );
    await lab.startImplementation(vrrpdAdapter);
    await holdStates(lab, { r1: 'MASTER', r2: 'BACKUP' }, 1_000);
    await keepalivedAdapter.stop(lab.adapterHost('r1'));
    await waitStates(lab, { r2: 'MASTER' });
    expect(await lab.host('r2').hasLocalAddress(VIP4)).toBe(true);
    await keepalivedAdapter.start(lab.adapterHost('r1'));
    await waitStates(lab, { r1: 'MASTER', r2: 'BACKUP' });
    expect(await lab.host('r2').hasLocalAddress(VIP4)).toBe(false);
  });

  it('VRRPv3 at 1 s with unicast peers elects vrrpd and hands over to keepalived', async () => {
    const uni = { version: 3 as const, advertIntervalS: 1, unicast: true };
    lab = await mixedLab(
      { impl: 'vrrpd', inst: { priority: 150, ...uni } },
      { impl: 'keepalived', inst: { priority: 100, ...uni } },
    );
    await lab.startImplementation(vrrpdAdapter);
    await holdStates(lab, { r1: 'MASTER', r2: 'BACKUP' }, 4_000);
    await vrrpdAdapter.stop(lab.adapterHost('r1'));
    await waitStates(lab, { r2: 'MASTER' });
  });

  it('nopreempt: a returning higher-priority vrrpd stays Backup behind keepalived', async () => {
    const np = { version: 3 as const, advertIntervalS: 0.1, preempt: false };
    lab = await mixedLab(
      { impl: 'vrrpd', inst: { priority: 150, ...np } },
      { impl: 'keepalived', inst: { priority: 100, ...np } },
    );
    const ka = keepalivedAdapter;
    const vd = vrrpdAdapter;
    await ka.render(lab.adapterHost('r2'));
    await vd.render(lab.adapterHost('r1'));
    await ka.start(lab.adapterHost('r2'));
    await waitStates(lab, { r2: 'MASTER' });
    await vd.start(lab.adapterHost('r1'));
    await waitStates(lab, { r1: 'BACKUP' });
    // Observe for 10 Master_Down_Intervals (~3.6 s): vrrpd must never take the VIP.
    const until = Date.now() + 3_600;
    await waitFor(
      async () => {
        if (await lab!.host('r1').hasLocalAddress(VIP4)) {
          // The daemon's log says why (its transition line names the event): evidence for a flaky run.
          const f = vrrpdFiles(lab!.adapterHost('r1'));
          const log = await logTail(f.log, 30);
          const { stdout } = await lab!
            .adapterHost('r1')
            .exec(process.execPath, [vrrpdCliPath(), 'status', '--json', '--control-socket', f.socket]);
          throw new Error(`vrrpd preempted despite nopreempt; its log:\n${log}\nits status: ${stdout}`);
        }
        return Date.now() >= until;
      },
      { timeoutMs: 10_000, intervalMs: 20, description: 'a steady window without preemption' },
    );
    expect(await stateOf(lab, 'r1')).toBe('BACKUP');
    expect(await stateOf(lab, 'r2')).toBe('MASTER');
    await ka.stop(lab.adapterHost('r2'));
    await vd.stop(lab.adapterHost('r1'));
  });
});

describe.skipIf(!built || !frr)('vrrpd interoperates with FRR vrrpd', () => {
  for (const ipv6 of [false, true]) {
    it(`VRRPv3 ${ipv6 ? 'IPv6' : 'IPv4'}: vrrpd (150) over FRR (100), FRR takes over on SIGTERM, vrrpd preempts back`, async () => {
      const v3 = { version: 3 as const, advertIntervalS: 0.1 };
      lab = await mixedLab(
        { impl: 'vrrpd', inst: { priority: 150, ...v3 } },
        { impl: 'frr', inst: { priority: 100, ...v3 } },
        ipv6,
      );
      await lab.startImplementation(vrrpdAdapter);
      await holdStates(lab, { r1: 'MASTER', r2: 'BACKUP' }, 1_000);
      await vrrpdAdapter.stop(lab.adapterHost('r1'));
      await waitStates(lab, { r2: 'MASTER' });
      await vrrpdAdapter.start(lab.adapterHost('r1'));
      await waitStates(lab, { r1: 'MASTER', r2: 'BACKUP' });
    });
  }
});
