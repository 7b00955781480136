import type { AdapterHost } from '../../../harness/adapters/types.js';
import { type VrrpInstanceSettings, vrrpInstanceSchema } from '../../../harness/topology/vrrp-settings.js';

/** Settings with schema defaults filled in, as the topology loader would produce them. */
export function inst(partial: Partial<VrrpInstanceSettings> & { vrid: number; vips: string[] }): VrrpInstanceSettings {
  return vrrpInstanceSchema.parse(partial);
}

/** A host for pure rendering tests: exec/spawn must never be called. */
export function fakeHost(instances: VrrpInstanceSettings[], over: Partial<AdapterHost> = {}): AdapterHost {
  return {
    runId: 'run1',
    name: 'r1',
    dir: '/run/lab/r1',
    ifname: 'eth0',
    addresses: ['10.0.0.11/24', '2001:db8::11/64'],
    peers: ['10.0.0.12', '10.0.0.13', '2001:db8::12'],
    instances,
    exec: () => Promise.reject(new Error('exec not expected in a unit test')),
    spawn: () => Promise.reject(new Error('spawn not expected in a unit test')),
    ...over,
  };
}
