import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keepalivedAdapter as ka } from '../../../harness/adapters/keepalived.js';
import { lastSignal } from '../../../harness/adapters/signal-log.js';
import { cleanupStaleVips } from '../../../harness/adapters/stale-vips.js';
import { vrrpdAdapter as vd } from '../../../harness/adapters/vrrpd.js';
import { waitFor } from '../../../harness/lab/wait-for.js';
import { vrrpInstanceSchema } from '../../../harness/topology/vrrp-settings.js';
import { packageRoot } from '../../../src/util/package-info.js';
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
 * Our daemon through its adapter. Skipped until the daemon is built: dist/src/cli/vrrpd.js alone is
 * not enough (an early build of the CLI exists without the daemon), so the run command's module is the marker.
 */
const built = existsSync(join(packageRoot(), 'dist', 'src', 'cli', 'run-command.js'));

const VIP = '10.77.0.254';
const v3 = (priority: number) =>
  vrrpInstanceSchema.parse({ vrid: 51, priority, version: 3, advertIntervalS: 0.1, vips: [`${VIP}/24`] });

const holds = async (h: TestHost) => (await addressesOn(h)).includes(VIP);

describe.skipIf(!built)('vrrpd adapter', () => {
  let lab: TinyLab;
  let r1: TestHost;
  let r2: TestHost;

  beforeAll(async () => {
    lab = await createTinyLab(2);
    r1 = withInstances(lab.hosts[0]!, [v3(150)]);
    r2 = withInstances(lab.hosts[1]!, [v3(100)]);
  });

  afterEach(async () => {
    await Promise.all([vd.stop(r1), vd.stop(r2), ka.stop(r1), ka.stop(r2)]);
    for (const h of [r1, r2]) await cleanupStaleVips(h);
  });

  afterAll(async () => {
    const left = await labProcesses(lab);
    await lab.destroy();
    expect(left).toEqual([]);
  });

  it('r1 (150) becomes the only MASTER and reports its effective priority', async () => {
    for (const h of [r1, r2]) {
      expect(vd.unsupported(h)).toEqual([]);
      await vd.render(h);
    }
    await vd.start(r1);
    await vd.start(r2);
    await waitState(vd, r1, 'MASTER');
    await waitState(vd, r2, 'BACKUP');
    await waitFor(async () => (await holds(r1)) && !(await holds(r2)), {
      description: 'VIP on r1 only',
      timeoutMs: 10_000,
    });
    expect(await vd.state(r1)).toEqual([{ instance: 'VI_1', vrid: 51, state: 'MASTER', effectivePriority: 150 }]);
  });

  it('stop(r1) sends priority 0: r2 takes over, r1 drops the VIP', async () => {
    await vd.render(r1);
    await vd.render(r2);
    await vd.start(r1);
    await vd.start(r2);
    await waitState(vd, r1, 'MASTER');
    await waitState(vd, r2, 'BACKUP');
    await vd.stop(r1);
    expect(lastSignal(r1)?.action).toBe('stop');
    await waitState(vd, r2, 'MASTER');
    expect(await holds(r1)).toBe(false);
  });

  it('kill(r1) leaves the VIP (like keepalived, quirks Q2) and cleanupStaleVips removes it', async () => {
    await vd.render(r1);
    await vd.render(r2);
    await vd.start(r1);
    await vd.start(r2);
    await waitState(vd, r1, 'MASTER');
    await waitFor(() => holds(r1), { description: 'VIP on r1', timeoutMs: 5000 });
    await vd.kill(r1);
    expect((await labProcesses(lab)).filter((p) => p.cmdline.includes(`${r1.dir}/`))).toEqual([]);
    await waitState(vd, r2, 'MASTER');
    await cleanupStaleVips(r1);
    expect(await holds(r1)).toBe(false);
  });

  it('interoperates with keepalived: vrrpd r1 (150) over keepalived r2 (100), then keepalived takes over', async () => {
    await vd.render(r1);
    await ka.render(r2);
    await vd.start(r1);
    await ka.start(r2);
    await waitState(vd, r1, 'MASTER');
    await waitState(ka, r2, 'BACKUP');
    await vd.stop(r1);
    await waitState(ka, r2, 'MASTER');
  });
});
