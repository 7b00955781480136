import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { type Lab, waitFor } from '../../../harness/lab/index.js';
import { startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * `interface_up_down_delays { eth0 1.5 1 }`: a carrier loss on eth0 reaches the instance only if it lasts
 * 1.5 s, and its return only after 1 s. r1 alone is Master; its switch port goes down (r1 sees carrier loss,
 * its addresses stay), so "the instance went FAULT" is r1's VIP disappearing. Without the block a 400 ms flap
 * takes the VIP away; with it the flap is never seen, a longer loss takes the VIP ~1.5 s in, and the VIP comes
 * back ~1 s later after the link (then Master_Down_Interval, alone). The same files under keepalived 2.2.7
 * and vrrpd.
 */
const VIP = '10.99.0.239';
const conf = (delays: string) => `
${delays ? `interface_up_down_delays {\n  ${delays}\n}` : ''}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 95
  priority 100
  advert_int 1
  virtual_ipaddress {
    ${VIP}/24
  }
}
`;

interface Facts {
  /** r1 lost the VIP during (or just after) a 400 ms carrier flap. */
  flapSeen: boolean;
  /** r1's eth0 seen down (kept down) → VIP removed, ms. */
  downToFaultMs: number;
  /** r1's eth0 seen up again → VIP back, ms. */
  upToMasterMs: number;
}

/** The moment (performance.now()) r1's eth0 is seen in `state` (polled every 10 ms). */
async function operstateBecomes(lab: Lab, state: 'up' | 'down'): Promise<number> {
  const read = async () => (await lab.host('r1').exec('cat', ['/sys/class/net/eth0/operstate'])).stdout.trim();
  await waitFor(async () => (await read()) === state, {
    timeoutMs: 5000,
    intervalMs: 10,
    description: `r1 eth0 ${state}`,
  });
  return performance.now();
}

async function scenario(lab: Lab, impl: 'keepalived' | 'vrrpd', delays: string): Promise<Facts> {
  const r1 = lab.host('r1');
  const holds = () => r1.hasLocalAddress(VIP);
  const d =
    impl === 'vrrpd' ? await startVrrpd(lab, 'r1', conf(delays)) : await startKeepalived(lab, 'r1', conf(delays));
  try {
    await until(`${impl} holds ${VIP}`, holds, 20_000);
    // The flap: down for 400 ms (the fault's own schedule), then up; watch 2.5 s from the start of it.
    const flap = lab.impair.flap('r1', { periodMs: 800, count: 1 });
    const lost = until(`${impl} r1 lost ${VIP} in a flap`, async () => !(await holds()), 2500).then(
      () => true,
      () => false,
    );
    await flap.done;
    const flapSeen = await lost;
    if (flapSeen) await until(`${impl} holds ${VIP} again after the flap`, holds, 20_000);

    // Timed from the moment r1's eth0 changes state, not from the command: the kernel applies a carrier
    // change through linkwatch, up to a second later on a busy machine (docs/quirks.md Q44).
    const down = await lab.impair.linkDown('r1');
    const t0 = await operstateBecomes(lab, 'down');
    await until(`${impl} r1 drops ${VIP} after carrier loss`, async () => !(await holds()), 10_000);
    const downToFaultMs = performance.now() - t0;
    await down.undo();
    const t1 = await operstateBecomes(lab, 'up');
    await until(`${impl} r1 holds ${VIP} after the carrier is back`, holds, 20_000);
    return { flapSeen, downToFaultMs, upToMasterMs: performance.now() - t1 };
  } finally {
    await stop(d);
  }
}

describe.skipIf(!vrrpdBuilt)('interface_up_down_delays', () => {
  const r = underBoth('kw-updown', ['r1'], async (lab, impl) => ({
    none: await scenario(lab, impl, ''),
    delayed: await scenario(lab, impl, 'eth0 1.5 1'),
  }));

  it('keepalived 2.2.7 (the reference): no flap seen, FAULT ~1.5 s into a loss, back ~1 s later than without', () => {
    const k = r.keepalived();
    expect(k.none.flapSeen).toBe(true);
    expect(k.none.downToFaultMs).toBeLessThan(700);
    expect(k.delayed.flapSeen).toBe(false);
    expect(k.delayed.downToFaultMs).toBeGreaterThan(1400);
    expect(k.delayed.downToFaultMs).toBeLessThan(2200);
    expect(k.delayed.upToMasterMs - k.none.upToMasterMs).toBeGreaterThan(600);
  });

  it('vrrpd: the same, each time within 500 ms of keepalived', () => {
    const [v, k] = [r.vrrpd(), r.keepalived()];
    for (const which of ['none', 'delayed'] as const) {
      expect(v[which].flapSeen).toBe(k[which].flapSeen);
      expect(Math.abs(v[which].downToFaultMs - k[which].downToFaultMs)).toBeLessThan(500);
      expect(Math.abs(v[which].upToMasterMs - k[which].upToMasterMs)).toBeLessThan(500);
    }
  });
});
