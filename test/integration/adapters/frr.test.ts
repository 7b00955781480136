import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frrAdapter as frr, frrHolds } from '../../../harness/adapters/frr.js';
import { keepalivedAdapter as ka } from '../../../harness/adapters/keepalived.js';
import { lastSignal } from '../../../harness/adapters/signal-log.js';
import { cleanupStaleVips } from '../../../harness/adapters/stale-vips.js';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { vrrpInstanceSchema } from '../../../harness/topology/vrrp-settings.js';
import {
  addressesOn,
  createTinyLab,
  labProcesses,
  type TestHost,
  type TinyLab,
  withInstances,
} from './helpers/tiny-lab.js';
import { waitState } from './helpers/wait-state.js';

/**
 * FRR vrrpd on r2 interoperating with keepalived on r1, VRRPv3 (docs/quirks.md Q20), at 0.1 s
 * adverts to keep it fast. Holder for FRR = its macvlan with protodown off (quirks Q19 iii); for
 * keepalived = VIP on eth0. One test walks through the whole sequence: each step needs the previous one.
 */
const VIP = '10.77.0.254';
const MACVLAN = 'vl4-51';
const v3 = (priority: number) =>
  vrrpInstanceSchema.parse({ vrid: 51, priority, version: 3, advertIntervalS: 0.1, vips: [`${VIP}/24`] });

let lab: TinyLab;
let r1: TestHost;
let r2: TestHost;

const kaHolds = async () => (await addressesOn(r1)).includes(VIP);
const frrHoldsNow = () => frrHolds(r2.netns, MACVLAN);

beforeAll(async () => {
  lab = await createTinyLab(2);
  r1 = withInstances(lab.hosts[0]!, [v3(150)]);
  r2 = withInstances(lab.hosts[1]!, [v3(100)]);
});

afterAll(async () => {
  await Promise.all([ka.stop(r1), frr.stop(r2)]).catch(() => undefined);
  const left = await labProcesses(lab);
  await lab.destroy();
  expect(left).toEqual([]);
});

describe('FRR adapter', () => {
  it('FRR alone becomes Master, hands over with keepalived both ways, stops vrrpd first', async () => {
    expect(frr.unsupported(r2)).toEqual([]);
    expect(frr.holderInterface?.(r2, VIP)).toBe(MACVLAN);
    await frr.render(r2);
    await ka.render(r1);

    // FRR alone → Master; its macvlan goes protodown off.
    await frr.start(r2);
    await waitState(frr, r2, 'MASTER');
    await waitFor(frrHoldsNow, { description: 'FRR macvlan protodown off', timeoutMs: 5000 });
    expect(await frr.state(r2)).toEqual([{ instance: 'VI_1', vrid: 51, state: 'MASTER', effectivePriority: 100 }]);

    // keepalived r1 (150) starts → preempts FRR after Master_Down; FRR back to protodown on.
    await ka.start(r1);
    await waitState(ka, r1, 'MASTER');
    await waitState(frr, r2, 'BACKUP');
    await waitFor(async () => (await kaHolds()) && !(await frrHoldsNow()), {
      description: 'only r1 holds',
      timeoutMs: 5000,
    });

    // SIGTERM keepalived → prio 0 → FRR Master after its skew.
    await ka.stop(r1);
    await waitState(frr, r2, 'MASTER');
    await waitFor(frrHoldsNow, { description: 'FRR holds again', timeoutMs: 5000 });

    // keepalived back at a lower priority: FRR stays Master.
    const low = withInstances(r1, [v3(50)]);
    await ka.render(low);
    await ka.start(low);
    await waitState(ka, low, 'BACKUP');
    expect(await frrHoldsNow()).toBe(true);

    // Graceful FRR stop: vrrpd first (prio 0), zebra second, macvlans removed → keepalived takes over.
    await frr.stop(r2);
    expect(lastSignal(r2)?.action).toBe('stop');
    await waitState(ka, low, 'MASTER');
    expect(await frrHoldsNow()).toBe(false);
    expect(await addressesOn(r2, MACVLAN)).toEqual([]);
    expect(await frr.state(r2)).toEqual([{ instance: 'VI_1', vrid: 51, state: 'UNKNOWN' }]);
    expect((await labProcesses(lab)).filter((p) => p.cmdline.includes(`${r2.dir}/`))).toEqual([]);

    // FRR again (100 > 50): preempts keepalived, then a crash leaves the macvlan live (stale) until cleanup.
    await frr.start(r2);
    await waitState(frr, r2, 'MASTER');
    await waitState(ka, low, 'BACKUP');
    await waitFor(frrHoldsNow, { description: 'FRR holds before the crash', timeoutMs: 5000 });
    await frr.kill(r2);
    expect((await labProcesses(lab)).filter((p) => p.cmdline.includes(`${r2.dir}/`))).toEqual([]);
    expect(await frrHoldsNow()).toBe(true);
    await waitState(ka, low, 'MASTER');
    await frr.cleanupStale(r2);
    expect(await frrHoldsNow()).toBe(false);

    await ka.stop(low);
    await cleanupStaleVips(low);
  });

  it('freeze/thaw FRR while Master: keepalived takes over, FRR returns to Backup', async () => {
    const low = withInstances(r1, [v3(50)]);
    await frr.start(r2);
    await waitState(frr, r2, 'MASTER');
    await ka.start(low);
    await waitState(ka, low, 'BACKUP');
    await frr.freeze(r2);
    expect(await frr.state(r2)).toEqual([{ instance: 'VI_1', vrid: 51, state: 'UNKNOWN' }]);
    await waitState(ka, low, 'MASTER');
    await frr.thaw(r2);
    // FRR (100) preempts keepalived (50) again once it hears the lower-priority adverts.
    await waitState(frr, r2, 'MASTER');
    await waitState(ka, low, 'BACKUP');
    await Promise.all([ka.stop(low), frr.stop(r2)]);
    expect(await labProcesses(lab)).toEqual([]);
  });
});
