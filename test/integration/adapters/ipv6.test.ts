import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frrAdapter as frr, frrHolds } from '../../../harness/adapters/frr.js';
import { keepalivedAdapter as ka } from '../../../harness/adapters/keepalived.js';
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

/** IPv6 (VRRPv3 over ff02::12): FRR on its vl6-<vrid> macvlan and keepalived on eth0 elect each other. */
const VIP = '2001:db8:77::254';
const v6 = (priority: number) =>
  vrrpInstanceSchema.parse({ vrid: 61, priority, version: 3, advertIntervalS: 0.1, vips: [`${VIP}/64`] });

let lab: TinyLab;
let r1: TestHost;
let r2: TestHost;

beforeAll(async () => {
  lab = await createTinyLab(2);
  r1 = withInstances(lab.hosts[0]!, [v6(150)]);
  r2 = withInstances(lab.hosts[1]!, [v6(100)]);
});

afterAll(async () => {
  await Promise.all([ka.stop(r1), frr.stop(r2)]).catch(() => undefined);
  await cleanupStaleVips(r1).catch(() => undefined);
  const left = await labProcesses(lab);
  await lab.destroy();
  expect(left).toEqual([]);
});

describe('IPv6', () => {
  it('FRR alone becomes Master on vl6-61; keepalived (150) then takes over', async () => {
    expect(frr.unsupported(r2)).toEqual([]);
    expect(ka.unsupported(r1)).toEqual([]);
    expect(frr.holderInterface?.(r2, VIP)).toBe('vl6-61');
    await frr.render(r2);
    await ka.render(r1);
    await frr.start(r2);
    await waitState(frr, r2, 'MASTER');
    await waitFor(() => frrHolds(r2.netns, 'vl6-61'), { description: 'FRR vl6-61 protodown off', timeoutMs: 5000 });
    await ka.start(r1);
    await waitState(ka, r1, 'MASTER');
    await waitState(frr, r2, 'BACKUP');
    await waitFor(async () => (await addressesOn(r1)).includes(VIP), { description: 'VIP on r1', timeoutMs: 5000 });
    expect(await frrHolds(r2.netns, 'vl6-61')).toBe(false);
  });
});
