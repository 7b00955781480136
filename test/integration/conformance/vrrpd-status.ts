import { vrrpdFiles } from '../../../harness/adapters/vrrpd.js';
import type { LabHost } from '../../../harness/lab/index.js';
import { waitFor } from '../../../harness/lab/index.js';
import { queryControlSocket } from '../../../src/runtime/control-server.js';
import type { DaemonStatus, InstanceStatus } from '../../../src/runtime/status.js';

/** vrrpd's own view (control socket) for the vrrpd-only robustness tests; the conformance engine never asks. */

export async function dutStatus(host: LabHost): Promise<DaemonStatus> {
  return (await queryControlSocket(vrrpdFiles(host.adapterHost()).socket, 'status')) as DaemonStatus;
}

export function instanceOf(s: DaemonStatus, name: string): InstanceStatus {
  const i = s.instances.find((x) => x.name === name);
  if (!i) throw new Error(`DUT has no instance ${name} (has ${s.instances.map((x) => x.name).join(', ')})`);
  return i;
}

/** Every drop the daemon counted, daemon-wide and on every instance. */
export function totalDrops(s: DaemonStatus): number {
  const sum = (d: Record<string, number>) => Object.values(d).reduce((a, b) => a + b, 0);
  return sum(s.drops) + s.instances.reduce((n, i) => n + sum(i.counters.drops), 0);
}

export async function waitInstanceState(
  host: LabHost,
  instance: string,
  state: InstanceStatus['state'],
  timeoutMs = 10_000,
): Promise<DaemonStatus> {
  return waitFor(() => dutStatus(host), {
    description: `${host.name} ${instance} ${state}`,
    timeoutMs,
    intervalMs: 10,
    until: (s) => instanceOf(s, instance).state === state,
  });
}
