import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuiltInImpl, builtInAdapter } from '../../../harness/adapters/registry.js';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import { type Lab, waitFor } from '../../../harness/lab/index.js';
import { buildPair, LabSlot, startPatched, waitMasterBackup, waitState } from './same-config-lab.js';

/**
 * virtual_routes / virtual_rules under vrrpd and keepalived 2.2.7 with the same keepalived.conf
 * (issue 9 keyword 3): installed on becoming Master, removed when leaving it, and the kernel's view of
 * them (`ip -j route show table 100`, `ip -j rule show`) identical for both daemons. static_routes /
 * static_rules: installed while the daemon runs.
 */

const VIP = '10.72.0.254';
const built = existsSync(vrrpdCliPath());
const slot = new LabSlot();
afterEach(() => slot.release());

function extraLines(ifname: string): string {
  return `    virtual_routes {
        10.72.100.0/24 via 10.72.0.1 table 100
        blackhole 10.72.101.0/24 table 100 metric 5
        src ${VIP} 10.72.102.0/24 dev ${ifname} scope link table 100
        10.72.103.0/24 table 100 nexthop via 10.72.0.2 weight 2 nexthop via 10.72.0.3
        unreachable 10.72.104.0/24 table 100 no_track
    }
    virtual_rules {
        from 10.72.50.0/24 table 100 priority 1000
        to 10.72.60.0/24 fwmark 0x10/0xff table 100 priority 1001
        iif ${ifname} to 10.72.61.0/24 table 100 priority 1002
        from 10.72.62.0/24 blackhole priority 1003
    }
`;
}

const STATIC = `static_routes {
    10.72.200.0/24 via 10.72.0.1 table 101
}
static_rules {
    from 10.72.70.0/24 table 101 priority 1010
}
`;

/** The routes of table 100 and our rules, with the fields `ip -j` prints, in a stable order. */
async function kernelView(l: Lab, host: string, table = '100', prios: [number, number] = [1000, 1003]) {
  const h = l.host(host);
  // A table the kernel never had a route in "does not exist" (exit 2): no routes.
  const shown = await h.execStatus('ip', ['-j', '-d', 'route', 'show', 'table', table]);
  const routes = (shown.exitCode === 0 ? JSON.parse(shown.stdout) : []) as Record<string, unknown>[];
  const rules = (JSON.parse((await h.exec('ip', ['-j', 'rule', 'show'])).stdout) as { priority: number }[]).filter(
    (r) => r.priority >= prios[0] && r.priority <= prios[1],
  );
  return {
    routes: routes.map((r) => JSON.stringify(r)).sort(),
    rules: rules.map((r) => JSON.stringify(r)).sort(),
  };
}

/** static_routes / static_rules: table 101, rule 1010. */
const staticView = (l: Lab, host: string) => kernelView(l, host, '101', [1010, 1010]);

async function observe(impl: BuiltInImpl) {
  const l = await buildPair(slot, {
    name: 'vroutes',
    impl,
    addr: (n) => `10.72.0.${n}/24`,
    vrrp: () => ({ vrid: 72, version: 3, advertIntervalS: 0.1, vips: [`${VIP}/24`] }),
  });
  // The topology schema has no routes: add them to the rendered config, inside the instance block.
  await startPatched(l, impl, (text, host) => {
    const at = text.lastIndexOf('}');
    return `${text.slice(0, at)}${extraLines(host.ifname)}${text.slice(at)}${STATIC}`;
  });
  await waitMasterBackup(l);
  const installed = async (host: string) => (await kernelView(l, host)).rules.length > 0;
  await waitFor(() => installed('r1'), { timeoutMs: 10_000, description: 'rules on r1' });
  const master = await kernelView(l, 'r1');
  const backup = await kernelView(l, 'r2');
  const staticOnBackup = await staticView(l, 'r2');

  await builtInAdapter(impl).stop(l.adapterHost('r1'));
  await waitState(l, 'r2', 'MASTER');
  await waitFor(() => installed('r2'), { timeoutMs: 10_000, description: 'rules on r2' });
  const takenOver = await kernelView(l, 'r2');
  const stopped = await kernelView(l, 'r1');
  const staticStopped = await staticView(l, 'r1');

  // Back to Backup on r2 when r1 returns: the routes and rules leave with the mastership.
  await builtInAdapter(impl).start(l.adapterHost('r1'));
  await waitMasterBackup(l);
  await waitFor(async () => !(await installed('r2')), { timeoutMs: 10_000, description: 'rules gone from r2' });
  const yielded = await kernelView(l, 'r2');
  await slot.release();
  return { master, backup, takenOver, stopped, yielded, staticOnBackup, staticStopped };
}

describe.skipIf(!built)('virtual_routes / virtual_rules / static_routes / static_rules', () => {
  it('follow mastership, and the kernel shows the same routes and rules as under keepalived', {
    timeout: 180_000,
  }, async () => {
    const ours = await observe('vrrpd');
    const theirs = await observe('keepalived');
    console.log('virtual routes', JSON.stringify({ ours, theirs }, null, 1));
    expect(ours.master.routes).toHaveLength(5);
    expect(ours.master.rules).toHaveLength(4);
    expect(ours.backup).toEqual({ routes: [], rules: [] });
    expect(ours.stopped).toEqual({ routes: [], rules: [] });
    expect(ours.yielded).toEqual({ routes: [], rules: [] });
    // The route with `src VIP` on r2 says r2's interface; everything else is the same text on both routers.
    expect(ours.takenOver).toEqual(ours.master);
    // static_*: there from start whatever the state, gone at stop.
    expect(ours.staticOnBackup.routes).toHaveLength(1);
    expect(ours.staticOnBackup.rules).toHaveLength(1);
    expect(ours.staticStopped).toEqual({ routes: [], rules: [] });
    expect(theirs).toEqual(ours);
  });
});
