import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
 * keepalived pair on a tiny topology. VRRPv3 at 0.1 s keeps each election under ~0.4 s (Master_Down
 * 3 × 0.1 + skew); waits are generous (10 s) because the box is shared.
 */
const VIP = '10.77.0.254';
const fast = (priority: number) =>
  vrrpInstanceSchema.parse({ vrid: 51, priority, version: 3, advertIntervalS: 0.1, vips: [`${VIP}/24`] });

let lab: TinyLab;
let r1: TestHost;
let r2: TestHost;

async function holds(h: TestHost): Promise<boolean> {
  return (await addressesOn(h)).includes(VIP);
}

beforeAll(async () => {
  lab = await createTinyLab(2);
  r1 = withInstances(lab.hosts[0]!, [fast(150)]);
  r2 = withInstances(lab.hosts[1]!, [fast(100)]);
});

afterEach(async () => {
  // In parallel: each keepalived lingers ~1 s after SIGTERM (quirks Q4).
  await Promise.all([r1, r2].map((h) => ka.stop(h)));
  for (const h of [r1, r2]) await cleanupStaleVips(h);
});

afterAll(async () => {
  const left = await labProcesses(lab);
  await lab.destroy();
  expect(left).toEqual([]);
});

describe('keepalived adapter', () => {
  it('renders a configuration keepalived accepts and starts r1 (150) as the only MASTER', async () => {
    for (const h of [r1, r2]) {
      expect(ka.unsupported(h)).toEqual([]);
      await ka.render(h);
    }
    await ka.start(r1);
    await ka.start(r2);
    await waitState(ka, r1, 'MASTER');
    await waitState(ka, r2, 'BACKUP');
    // Transient dual masters at startup are normal at 0.1 s (quirks Q8): wait for exactly one holder.
    await waitFor(async () => (await holds(r1)) && !(await holds(r2)), {
      description: 'VIP on r1 only',
      timeoutMs: 10_000,
    });
    const s = await ka.state(r1);
    expect(s).toEqual([{ instance: 'VI_1', vrid: 51, state: 'MASTER', effectivePriority: 150 }]);
    // What the "nothing left" checks below look at does see a running keepalived (parent + VRRP child).
    expect((await labProcesses(lab)).filter((p) => p.cmdline.includes(`${r1.dir}/`))).toHaveLength(2);
  });

  it('stop(r1) (SIGTERM, prio 0) hands over to r2 and records when the signal went out', async () => {
    await ka.render(r1);
    await ka.render(r2);
    await ka.start(r1);
    await ka.start(r2);
    await waitState(ka, r1, 'MASTER');
    await waitState(ka, r2, 'BACKUP');
    const before = Date.now();
    await ka.stop(r1);
    const sig = lastSignal(r1);
    expect(sig?.action).toBe('stop');
    expect(sig!.atMs).toBeGreaterThanOrEqual(before - 1);
    await waitState(ka, r2, 'MASTER');
    expect(await holds(r1)).toBe(false);
    await waitFor(() => holds(r2), { description: 'VIP on r2', timeoutMs: 5000 });
    expect(await ka.state(r1)).toEqual([{ instance: 'VI_1', vrid: 51, state: 'UNKNOWN' }]);
    expect((await labProcesses(lab)).filter((p) => p.cmdline.includes(`${r1.dir}/`))).toEqual([]);
  });

  it('kill(r1) leaves the VIP configured (quirks Q2) and cleanupStaleVips removes it', async () => {
    await ka.render(r1);
    await ka.render(r2);
    await ka.start(r1);
    await ka.start(r2);
    await waitState(ka, r1, 'MASTER');
    await waitFor(() => holds(r1), { description: 'VIP on r1', timeoutMs: 5000 });
    await ka.kill(r1);
    expect(lastSignal(r1)?.action).toBe('kill');
    // Both processes gone, nothing respawned (quirks Q3), VIP still there.
    expect((await labProcesses(lab)).filter((p) => p.cmdline.includes(`${r1.dir}/`))).toEqual([]);
    expect(await holds(r1)).toBe(true);
    await waitState(ka, r2, 'MASTER');
    expect(await cleanupStaleVips(r1)).toEqual([`${VIP}/24`]);
    expect(await holds(r1)).toBe(false);
    expect(await cleanupStaleVips(r1)).toEqual([]);
  });

  it('freeze(r1) lets r2 take over; thaw(r1) and r1 preempts back', async () => {
    await ka.render(r1);
    await ka.render(r2);
    await ka.start(r1);
    await ka.start(r2);
    await waitState(ka, r1, 'MASTER');
    await waitState(ka, r2, 'BACKUP');
    await ka.freeze(r1);
    expect(await ka.state(r1)).toEqual([{ instance: 'VI_1', vrid: 51, state: 'UNKNOWN' }]);
    await waitState(ka, r2, 'MASTER');
    await ka.thaw(r1);
    await waitState(ka, r1, 'MASTER');
    await waitState(ka, r2, 'BACKUP');
  });

  it('stop() of a frozen keepalived resumes it so it still shuts down gracefully (VIP removed)', async () => {
    await ka.render(r1);
    await ka.start(r1);
    await waitState(ka, r1, 'MASTER');
    await waitFor(() => holds(r1), { description: 'VIP on r1', timeoutMs: 5000 });
    await ka.freeze(r1);
    await ka.stop(r1);
    expect((await labProcesses(lab)).filter((p) => p.cmdline.includes(`${r1.dir}/`))).toEqual([]);
    expect(await holds(r1)).toBe(false);
  });

  it('VRRPv2 with PASS authentication at 1 s (the configuration of docs/quirks.md) elects r1', async () => {
    const v2 = (priority: number) =>
      vrrpInstanceSchema.parse({ vrid: 51, priority, authPass: 's3cr3t', vips: [`${VIP}/24`] });
    const a = withInstances(r1, [v2(150)]);
    const b = withInstances(r2, [v2(100)]);
    await ka.render(a);
    await ka.render(b);
    await ka.start(a);
    await ka.start(b);
    // Master_Down at 1 s adverts is ~3.4 s (table row a).
    await waitState(ka, a, 'MASTER', 15_000);
    await waitState(ka, b, 'BACKUP');
  });
});
