import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepalivedFiles } from '../../../harness/adapters/keepalived.js';
import type { BuiltInImpl } from '../../../harness/adapters/registry.js';
import { builtInAdapter } from '../../../harness/adapters/registry.js';
import type { ReportedInstanceState } from '../../../harness/adapters/types.js';
import { vrrpdCliPath, vrrpdFiles } from '../../../harness/adapters/vrrpd.js';
import { bridgeName } from '../../../harness/backends/netns/names.js';
import { defineTopology, Lab, waitFor } from '../../../harness/lab/index.js';
import { Capture } from '../../../harness/observers/capture.js';
import { packetEvents } from '../../../harness/observers/packet-events.js';
import { decodeEthernetFrame } from '../../../src/protocol/index.js';

/**
 * `use_vmac` under vrrpd and under keepalived 2.2.7, same rendered keepalived.conf (issue 9 keyword 2):
 * what the kernel and the wire show must be the same facts for both.
 */

const VIP = '10.71.0.254';
const VMAC = '00:00:5e:00:01:47'; // VRID 71
const VMAC_IF = 'vrrp.71';

const built = existsSync(vrrpdCliPath());
let lab: Lab | undefined;

afterEach(async () => {
  await lab?.stopImplementation().catch(() => undefined);
  await lab?.destroy();
  lab = undefined;
});

async function stateOf(l: Lab, host: string): Promise<ReportedInstanceState['state']> {
  const [first] = (await l.adapterFor(host)?.state(l.adapterHost(host))) ?? [];
  return first?.state ?? 'UNKNOWN';
}

async function waitState(l: Lab, host: string, want: ReportedInstanceState['state']) {
  await waitFor(async () => (await stateOf(l, host)) === want, {
    timeoutMs: 20_000,
    intervalMs: 50,
    description: `${host} ${want}`,
  });
}

async function json<T>(l: Lab, host: string, args: string[]): Promise<T> {
  return JSON.parse((await l.host(host).exec('ip', ['-j', ...args])).stdout) as T;
}

async function sysctl(l: Lab, host: string, key: string): Promise<number> {
  return Number((await l.host(host).exec('cat', [`/proc/sys/${key}`])).stdout.trim());
}

interface LinkJson {
  address: string;
  linkinfo?: { info_kind: string; info_data?: { mode?: string } };
}

/** What the kernels and the capture show for one implementation. */
async function observe(impl: BuiltInImpl) {
  const l = await Lab.build(
    defineTopology({
      name: 'vmac',
      switches: { sw: {} },
      hosts: {
        r1: {
          role: 'router',
          impl,
          links: [{ switch: 'sw', addresses: ['10.71.0.11/24'] }],
          vrrp: [{ vrid: 71, priority: 150, version: 3, advertIntervalS: 0.1, vips: [`${VIP}/24`], vmac: true }],
        },
        r2: {
          role: 'router',
          impl,
          links: [{ switch: 'sw', addresses: ['10.71.0.12/24'] }],
          vrrp: [{ vrid: 71, priority: 100, version: 3, advertIntervalS: 0.1, vips: [`${VIP}/24`], vmac: true }],
        },
        client: { role: 'client', links: [{ switch: 'sw', addresses: ['10.71.0.2/24'] }] },
      },
    }),
  );
  lab = l;
  const cap = await Capture.start({
    netns: l.switchNetns,
    iface: bridgeName(l.runId, 0),
    file: join(l.dir, `vmac-${impl}.pcap`),
    runId: l.runId,
    filter: ['vrrp', 'or', 'arp'],
  });
  await l.startImplementation(builtInAdapter(impl));
  await waitState(l, 'r1', 'MASTER');
  await waitState(l, 'r2', 'BACKUP');
  const ifname = l.adapterHost('r1').ifname;
  const realMac = async (host: string) =>
    (await json<LinkJson[]>(l, host, ['link', 'show', 'dev', l.adapterHost(host).ifname]))[0]!.address;
  const names = new Map([
    [VMAC, 'VMAC'],
    [await realMac('r1'), 'r1-real'],
    [await realMac('r2'), 'r2-real'],
  ]);
  const named = (mac: string | undefined) => (mac === undefined ? undefined : (names.get(mac) ?? mac));

  const link = (await json<LinkJson[]>(l, 'r1', ['-d', 'link', 'show', 'dev', VMAC_IF]))[0]!;
  const vipOn = async (host: string) =>
    (await json<{ ifname: string; addr_info: { local: string }[] }[]>(l, host, ['addr', 'show'])).find((i) =>
      i.addr_info.some((a) => a.local === VIP),
    )?.ifname;
  // The client learns the VIP's MAC by asking (ARP: a TCP connect, answered by a RST), then keeps it on failover.
  const reachedBefore = await l.host('client').canReach(VIP);
  const neigh = async () =>
    named((await json<{ dst: string; lladdr?: string }[]>(l, 'client', ['neigh', 'show', VIP]))[0]?.lladdr);
  const before = {
    kind: link.linkinfo?.info_kind,
    mode: link.linkinfo?.info_data?.mode,
    mac: link.address,
    vipOnR1: await vipOn('r1'),
    vipOnR2: await vipOn('r2'),
    reached: reachedBefore,
    clientNeigh: await neigh(),
    parentArpIgnore: await sysctl(l, 'r1', `net/ipv4/conf/${ifname}/arp_ignore`),
    parentArpFilter: await sysctl(l, 'r1', `net/ipv4/conf/${ifname}/arp_filter`),
    vmacArpIgnore: await sysctl(l, 'r1', `net/ipv4/conf/${VMAC_IF}/arp_ignore`),
    vmacAcceptLocal: await sysctl(l, 'r1', `net/ipv4/conf/${VMAC_IF}/accept_local`),
    vmacRpFilter: await sysctl(l, 'r1', `net/ipv4/conf/${VMAC_IF}/rp_filter`),
    allRpFilter: await sysctl(l, 'r1', 'net/ipv4/conf/all/rp_filter'),
    vmacIpv6Disabled: await sysctl(l, 'r1', `net/ipv6/conf/${VMAC_IF}/disable_ipv6`),
  };

  await builtInAdapter(impl).stop(l.adapterHost('r1'));
  await waitState(l, 'r2', 'MASTER');
  await waitFor(async () => (await vipOn('r2')) === VMAC_IF, { timeoutMs: 10_000, description: 'VIP on r2' });
  const after = {
    reached: await l.host('client').canReach(VIP),
    vipOnR2: await vipOn('r2'),
    clientNeigh: await neigh(),
    r1VmacGone: (await l.host('r1').execStatus('ip', ['link', 'show', 'dev', VMAC_IF])).exitCode !== 0,
    r1ParentArpIgnoreRestored: await sysctl(l, 'r1', `net/ipv4/conf/${ifname}/arp_ignore`),
  };
  await cap.stop();
  const evs = packetEvents(await cap.read());
  const advertMacs = (src: string) =>
    new Set(evs.flatMap((e) => (e.kind === 'advert' && e.src === src ? [e.srcMac] : [])));
  const garps = evs.filter((e) => e.kind === 'garp' && e.ip === VIP);
  // Every ARP frame that speaks for the VIP (sender IP = VIP): GARPs, replies to the client, and requests.
  const arps = (await cap.read()).records.flatMap((r) => {
    const ev = decodeEthernetFrame(r.data);
    return ev.kind === 'arp' && ev.spa === VIP ? [ev] : [];
  });
  const arpKinds = (pred: (a: (typeof arps)[number]) => boolean) => [
    ...new Set(arps.filter(pred).map((a) => `${named(a.srcMac)}/${named(a.sha)}`)),
  ];
  const wire = {
    r1AdvertMacs: [...advertMacs('10.71.0.11')].map(named),
    r2AdvertMacs: [...advertMacs('10.71.0.12')].map(named),
    garps: [...new Set(garps.map((e) => (e.kind === 'garp' ? `${named(e.srcMac)}/${named(e.sha)}` : '')))],
    arpReplies: arpKinds((a) => a.op === 2 && !a.gratuitous),
    arpRequestsFromVip: arpKinds((a) => a.op === 1 && !a.gratuitous),
  };
  await l.stopImplementation();
  await l.destroy();
  lab = undefined;
  return { before, after, wire };
}

describe.skipIf(!built)('use_vmac', () => {
  it('vrrpd and keepalived show the same kernel and wire facts', { timeout: 120_000 }, async () => {
    const ours = await observe('vrrpd');
    const theirs = await observe('keepalived');
    console.log('vmac facts', JSON.stringify({ ours, theirs }));
    expect(ours.before).toEqual({
      kind: 'macvlan',
      mode: 'private',
      mac: VMAC,
      vipOnR1: VMAC_IF,
      reached: true,
      // See arpRequestsFromVip below: the neighbour entry ends on the Master's real MAC, under both daemons.
      clientNeigh: 'r1-real',
      parentArpIgnore: 1,
      parentArpFilter: 1,
      vmacArpIgnore: 1,
      vmacAcceptLocal: 1,
      vmacRpFilter: 0,
      allRpFilter: 0,
      vmacIpv6Disabled: 1,
    });
    expect(ours.after).toEqual({
      reached: true,
      vipOnR2: VMAC_IF,
      clientNeigh: 'r2-real',
      r1VmacGone: true,
      r1ParentArpIgnoreRestored: 0,
    });
    expect(ours.wire).toEqual({
      r1AdvertMacs: ['VMAC'],
      r2AdvertMacs: ['VMAC'],
      garps: ['VMAC/VMAC'],
      // The Master answers ARP for the VIP from the VMAC...
      arpReplies: ['VMAC/VMAC'],
      // ...but its replies to the client leave through the parent (its connected route comes first), and the
      // ARP request it sends for the client carries the VIP as sender IP with the parent's MAC: the client's
      // entry for the VIP flips to the real MAC. A kernel fact keepalived shows identically (docs/quirks.md).
      arpRequestsFromVip: ['r1-real/r1-real', 'r2-real/r2-real'],
    });
    // One known difference: vrrpd puts the parent's arp_ignore/arp_filter back when it removes the VMAC;
    // keepalived 2.2.7 means to (reset_interface_parameters) but restores the value it set itself.
    expect(theirs.after.r1ParentArpIgnoreRestored).toBe(1);
    expect({ ...theirs, after: { ...theirs.after, r1ParentArpIgnoreRestored: 0 } }).toEqual(ours);
  });
});

const VIP6 = 'fd00:71::254';
const VMAC6 = '00:00:5e:00:02:48'; // VRID 72, IPv6

/** IPv6: the VMAC carries the VIP and a link-local (the parent's) to send adverts from; NAs from the VMAC. */
async function observe6(impl: BuiltInImpl) {
  const router = (n: number, priority: number) => ({
    role: 'router' as const,
    impl,
    links: [{ switch: 'sw', addresses: [`fd00:71::1${n}/64`] }],
    vrrp: [{ vrid: 72, priority, version: 3 as const, advertIntervalS: 0.1, vips: [`${VIP6}/64`], vmac: true }],
  });
  const l = await Lab.build(
    defineTopology({ name: 'vmac6', switches: { sw: {} }, hosts: { r1: router(1, 150), r2: router(2, 100) } }),
  );
  lab = l;
  const cap = await Capture.start({
    netns: l.switchNetns,
    iface: bridgeName(l.runId, 0),
    file: join(l.dir, `vmac6-${impl}.pcap`),
    runId: l.runId,
    filter: ['ip6'],
  });
  // keepalived 2.2.7 started while the parent's link-local is still tentative (DAD) stays in FAULT ("no IPv6
  // address for interface") after DAD ends: start both daemons on settled interfaces.
  for (const h of ['r1', 'r2']) {
    await waitFor(
      async () => !(await l.host(h).exec('ip', ['-6', 'addr', 'show', 'scope', 'link'])).stdout.includes('tentative'),
      { timeoutMs: 10_000, description: `${h} link-local usable` },
    );
  }
  await l.startImplementation(builtInAdapter(impl));
  await waitState(l, 'r1', 'MASTER');
  await waitState(l, 'r2', 'BACKUP');
  const ifname = l.adapterHost('r1').ifname;
  type Addr = { ifname: string; address: string; addr_info: { local: string; scope: string }[] };
  const addrs = async (host: string) => json<Addr[]>(l, host, ['-6', 'addr', 'show']);
  const r1 = await addrs('r1');
  const parentLl = r1.find((i) => i.ifname === ifname)?.addr_info.find((a) => a.scope === 'link')?.local;
  const vmac = r1.find((i) => i.ifname === VMAC_IF6);
  const link = (await json<LinkJson[]>(l, 'r1', ['-d', 'link', 'show', 'dev', VMAC_IF6]))[0]!;
  const before = {
    mode: link.linkinfo?.info_data?.mode,
    mac: link.address,
    vmacHasVip: vmac?.addr_info.some((a) => a.local === VIP6) ?? false,
    vmacLinkLocalIsParents: vmac?.addr_info.some((a) => a.scope === 'link' && a.local === parentLl) ?? false,
    vmacLinkLocals: vmac?.addr_info.filter((a) => a.scope === 'link').length,
  };
  await builtInAdapter(impl).stop(l.adapterHost('r1'));
  await waitState(l, 'r2', 'MASTER');
  const onR2 = async () => (await addrs('r2')).find((i) => i.addr_info.some((a) => a.local === VIP6))?.ifname ?? 'none';
  await waitFor(async () => (await onR2()) === VMAC_IF6, { timeoutMs: 10_000, description: 'VIP6 on r2' });
  await cap.stop();
  const evs = packetEvents(await cap.read());
  const wire = {
    advertMacs: [...new Set(evs.flatMap((e) => (e.kind === 'advert' && e.priority > 0 ? [e.srcMac] : [])))],
    naMacs: [...new Set(evs.flatMap((e) => (e.kind === 'na' && e.target === VIP6 ? [`${e.srcMac}/${e.tlla}`] : [])))],
  };
  await l.stopImplementation();
  await l.destroy();
  lab = undefined;
  return { before, wire };
}

const VMAC_IF6 = 'vrrp.72';

describe.skipIf(!built)('use_vmac, IPv6', () => {
  it('vrrpd and keepalived: VIP and link-local on the VMAC, adverts and NAs from 00:00:5e:00:02:VRID', {
    timeout: 120_000,
  }, async () => {
    const ours = await observe6('vrrpd');
    const theirs = await observe6('keepalived');
    console.log('vmac6 facts', JSON.stringify({ ours, theirs }));
    expect(ours.before).toEqual({
      mode: 'private',
      mac: VMAC6,
      vmacHasVip: true,
      vmacLinkLocalIsParents: true,
      vmacLinkLocals: 1,
    });
    expect(ours.wire).toEqual({ advertMacs: [VMAC6], naMacs: [`${VMAC6}/${VMAC6}`] });
    expect(theirs).toEqual(ours);
  });
});

/** vmac_xmit_base: adverts from the parent (its MAC), the VIP and its GARPs still on the VMAC. */
async function observeXmitBase(impl: BuiltInImpl) {
  const router = (n: number, priority: number) => ({
    role: 'router' as const,
    impl,
    links: [{ switch: 'sw', addresses: [`10.71.0.1${n}/24`] }],
    vrrp: [{ vrid: 71, priority, version: 3 as const, advertIntervalS: 0.1, vips: [`${VIP}/24`], vmac: true }],
  });
  const l = await Lab.build(
    defineTopology({ name: 'xmitbase', switches: { sw: {} }, hosts: { r1: router(1, 150), r2: router(2, 100) } }),
  );
  lab = l;
  const cap = await Capture.start({
    netns: l.switchNetns,
    iface: bridgeName(l.runId, 0),
    file: join(l.dir, `xmitbase-${impl}.pcap`),
    runId: l.runId,
    filter: ['vrrp', 'or', 'arp'],
  });
  const adapter = builtInAdapter(impl);
  l.adoptImplementation(adapter);
  for (const name of ['r1', 'r2']) {
    const host = l.adapterHost(name);
    await adapter.render(host);
    const conf = impl === 'vrrpd' ? vrrpdFiles(host).conf : keepalivedFiles(host).conf;
    await writeFile(conf, (await readFile(conf, 'utf8')).replace('use_vmac\n', 'use_vmac\n  vmac_xmit_base\n'));
    await adapter.start(host);
  }
  await waitState(l, 'r1', 'MASTER');
  await waitState(l, 'r2', 'BACKUP');
  const r1Mac = (await json<LinkJson[]>(l, 'r1', ['link', 'show', 'dev', l.adapterHost('r1').ifname]))[0]!.address;
  const vipOn = (await json<{ ifname: string; addr_info: { local: string }[] }[]>(l, 'r1', ['addr', 'show'])).find(
    (i) => i.addr_info.some((a) => a.local === VIP),
  )?.ifname;
  // Held for longer than the Backup's Master_Down_Interval (≈ 0.3 s): a Backup deaf to the adverts would take over.
  const until = Date.now() + 1000;
  const steady = await waitFor(
    async () => {
      const now = { r1: await stateOf(l, 'r1'), r2: await stateOf(l, 'r2') };
      if (now.r1 !== 'MASTER' || now.r2 !== 'BACKUP') return now;
      return Date.now() >= until && now;
    },
    { timeoutMs: 10_000, intervalMs: 100, description: 'states held' },
  );
  await cap.stop();
  const evs = packetEvents(await cap.read());
  const name = (mac: string) => (mac === VMAC ? 'VMAC' : mac === r1Mac ? 'r1-real' : mac);
  const facts = {
    vipOn,
    steady,
    advertMacs: [
      ...new Set(evs.flatMap((e) => (e.kind === 'advert' && e.src === '10.71.0.11' ? [name(e.srcMac)] : []))),
    ],
    garps: [
      ...new Set(evs.flatMap((e) => (e.kind === 'garp' && e.ip === VIP ? [`${name(e.srcMac)}/${name(e.sha)}`] : []))),
    ],
  };
  await l.stopImplementation();
  await l.destroy();
  lab = undefined;
  return facts;
}

describe.skipIf(!built)('vmac_xmit_base', () => {
  it('adverts leave from the parent MAC, GARPs from the VMAC, under both daemons', { timeout: 120_000 }, async () => {
    const ours = await observeXmitBase('vrrpd');
    const theirs = await observeXmitBase('keepalived');
    console.log('xmit_base facts', JSON.stringify({ ours, theirs }));
    expect(ours).toEqual({
      vipOn: VMAC_IF,
      steady: { r1: 'MASTER', r2: 'BACKUP' },
      advertMacs: ['r1-real'],
      garps: ['VMAC/VMAC'],
    });
    expect(theirs).toEqual(ours);
  });
});
