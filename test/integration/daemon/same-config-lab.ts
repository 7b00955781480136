/**
 * Helpers for the tests that run one keepalived.conf under vrrpd and under keepalived and compare what the
 * kernel and the capture show: state polling, `ip -j` reads, and starting an implementation on a config
 * the topology schema cannot express (the rendered file, patched).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keepalivedFiles } from '../../../harness/adapters/keepalived.js';
import { type BuiltInImpl, builtInAdapter } from '../../../harness/adapters/registry.js';
import type { AdapterHost, ReportedInstanceState } from '../../../harness/adapters/types.js';
import { vrrpdFiles } from '../../../harness/adapters/vrrpd.js';
import { bridgeName } from '../../../harness/backends/netns/names.js';
import { defineTopology, Lab, type TopologyInput, waitFor } from '../../../harness/lab/index.js';
import { Capture } from '../../../harness/observers/capture.js';

type State = ReportedInstanceState['state'];

export async function stateOf(l: Lab, host: string): Promise<State> {
  const [first] = (await l.adapterFor(host)?.state(l.adapterHost(host))) ?? [];
  return first?.state ?? 'UNKNOWN';
}

export async function waitState(l: Lab, host: string, want: State): Promise<void> {
  await waitFor(async () => (await stateOf(l, host)) === want, {
    timeoutMs: 20_000,
    intervalMs: 50,
    description: `${host} ${want}`,
  });
}

/** r1 Master and r2 Backup, the usual starting point. */
export async function waitMasterBackup(l: Lab): Promise<void> {
  await waitState(l, 'r1', 'MASTER');
  await waitState(l, 'r2', 'BACKUP');
}

export async function ipJson<T>(l: Lab, host: string, args: string[]): Promise<T> {
  return JSON.parse((await l.host(host).exec('ip', ['-j', ...args])).stdout) as T;
}

/** A capture of the (only) switch's bridge, into the run directory. */
export function captureSwitch(l: Lab, name: string, filter: string[]): Promise<Capture> {
  return Capture.start({
    netns: l.switchNetns,
    iface: bridgeName(l.runId, 0),
    file: join(l.dir, `${name}.pcap`),
    runId: l.runId,
    filter,
  });
}

/** Renders the config for every router, passes it through `patch`, and starts the implementation. */
export async function startPatched(
  l: Lab,
  impl: BuiltInImpl,
  patch: (text: string, host: AdapterHost) => string,
): Promise<void> {
  const adapter = builtInAdapter(impl);
  l.adoptImplementation(adapter);
  for (const h of l.routers()) {
    const host = l.adapterHost(h.name);
    await adapter.render(host);
    const conf = impl === 'vrrpd' ? vrrpdFiles(host).conf : keepalivedFiles(host).conf;
    await writeFile(conf, patch(await readFile(conf, 'utf8'), host));
    await adapter.start(host);
  }
}

/** The lab a test built, torn down after it whatever happened (call from afterEach). */
export class LabSlot {
  lab: Lab | undefined;

  async release(): Promise<void> {
    await this.lab?.stopImplementation().catch(() => undefined);
    await this.lab?.destroy();
    this.lab = undefined;
  }
}

type HostInput = TopologyInput['hosts'][string];
type VrrpInput = NonNullable<Extract<HostInput, { role: 'router' }>['vrrp']>[number];

/**
 * r1 and r2 running `impl` on one switch, r1 at priority 150 and r2 at 100 unless `vrrp` says otherwise,
 * plus an optional client. `addr(n)` is host n's address on the switch.
 */
export async function buildPair(
  slot: LabSlot,
  o: { name: string; impl: BuiltInImpl; addr: (n: number) => string; vrrp: (n: 1 | 2) => VrrpInput; client?: boolean },
): Promise<Lab> {
  const router = (n: 1 | 2): HostInput => ({
    role: 'router',
    impl: o.impl,
    links: [{ switch: 'sw', addresses: [o.addr(10 + n)] }],
    vrrp: [{ priority: n === 1 ? 150 : 100, ...o.vrrp(n) }],
  });
  const hosts: Record<string, HostInput> = { r1: router(1), r2: router(2) };
  if (o.client) hosts.client = { role: 'client', links: [{ switch: 'sw', addresses: [o.addr(2)] }] };
  slot.lab = await Lab.build(defineTopology({ name: o.name, switches: { sw: {} }, hosts }));
  return slot.lab;
}
