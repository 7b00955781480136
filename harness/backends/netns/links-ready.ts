import { VrrpLabError } from '../../../src/util/errors.js';
import { waitFor } from '../../lab/wait-for.js';
import { run } from '../../platform/run.js';
import type { BuildPlan } from './build-plan.js';

interface IpLink {
  ifname?: string;
  operstate?: string;
  linkinfo?: { info_slave_kind?: string; info_slave_data?: { state?: string } };
}

async function links(netns: string): Promise<IpLink[]> {
  const { stdout } = await run('ip', ['-j', '-d', 'link', 'show'], { netns });
  return JSON.parse(stdout) as IpLink[];
}

/** The lab links not yet usable: host ends not operationally UP, switch ports not forwarding. */
export async function linksNotReady(plan: BuildPlan): Promise<string[]> {
  const pending: string[] = [];
  const ports = new Map((await links(plan.switchNetns)).map((l) => [l.ifname, l]));
  const byHost = new Map<string, Map<string | undefined, IpLink>>();
  for (const l of plan.links) {
    const ns = plan.hostNetns[l.host];
    if (ns === undefined) continue;
    let host = byHost.get(l.host);
    if (!host) {
      host = new Map((await links(ns)).map((x) => [x.ifname, x]));
      byHost.set(l.host, host);
    }
    const end = host.get(l.ifname);
    if (end?.operstate !== 'UP') pending.push(`${l.host}/${l.ifname} is ${end?.operstate ?? 'missing'}`);
    const port = ports.get(l.port);
    const state = port?.linkinfo?.info_slave_data?.state;
    if (state !== 'forwarding') pending.push(`port ${l.port} of ${l.bridge} is ${state ?? 'missing'}`);
  }
  return pending;
}

/**
 * Waits until every link of the lab carries traffic. `ip link set up` returns before the kernel acts on the
 * carrier: linkwatch batches carrier events (at most one run per second, for every namespace of the machine),
 * and only then does the host end become UP and the bridge port start forwarding. A daemon started in that
 * window is partitioned without knowing it (docs/quirks.md Q44).
 */
export async function waitLinksReady(plan: BuildPlan, timeoutMs = 15_000): Promise<void> {
  let last: string[] = [];
  try {
    await waitFor(
      async () => {
        last = await linksNotReady(plan);
        return last.length === 0;
      },
      { timeoutMs, intervalMs: 25, description: 'every lab link up and forwarding' },
    );
  } catch (e) {
    throw new VrrpLabError(`lab links not ready after ${timeoutMs} ms: ${last.join('; ')}`, { cause: e });
  }
}
