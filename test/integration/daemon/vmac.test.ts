import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuiltInImpl, builtInAdapter } from '../../../harness/adapters/registry.js';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import { type Lab, waitFor } from '../../../harness/lab/index.js';
import { packetEvents } from '../../../harness/observers/packet-events.js';
import { decodeEthernetFrame } from '../../../src/protocol/index.js';
import {
  buildPair,
  captureSwitch,
  ipJson as json,
  LabSlot,
  startPatched,
  stateOf,
  waitMasterBackup,
  waitState,
} from './same-config-lab.js';

/**
 * `use_vmac` under vrrpd and under keepalived 2.2.7, same rendered keepalived.conf (issue 9 keyword 2):
 * what the kernel and the wire show must be the same facts for both.
 */

const VIP = '10.71.0.254';
const VMAC = '00:00:5e:00:01:47'; // VRID 71
const VMAC_IF = 'vrrp.71';

const built = existsSync(vrrpdCliPath());
const slot = new LabSlot();
afterEach(() => slot.release());

/** r1 (150) and r2 (100) with use_vmac on VRID 71, VRRPv3 at 0.1 s. */
const vmacPair = (name: string, impl: BuiltInImpl, client = false): Promise<Lab> =>
  buildPair(slot, {
    name,
    impl,
    client,
    addr: (n) => `10.71.0.${n}/24`,
    vrrp: () => ({ vrid: 71, version: 3, advertIntervalS: 0.1, vips: [`${VIP}/24`], vmac: true }),
  });

async function sysctl(l: Lab, host: string, key: string): Promise<number> {
  return Number((await l.host(host).exec('cat', [`/proc/sys/${key}`])).stdout.trim());
}

interface LinkJson {
  address: string;
  linkinfo?: { info_kind: string; info_data?: { mode?: string } };
}

/** What the kernels and the capture show for one implementation. */
async function observe(impl: BuiltInImpl) {
  const l = await vmacPair('vmac', impl, true);
  const cap = await captureSwitch(l, `vmac-${impl}`, ['vrrp', 'or', 'arp']);
  await l.startImplementation(builtInAdapter(impl));
  await waitMasterBackup(l);
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
  await slot.release();
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
  const l = await buildPair(slot, {
    name: 'vmac6',
    impl,
    addr: (n) => `fd00:71::${n}/64`,
    vrrp: () => ({ vrid: 72, version: 3, advertIntervalS: 0.1, vips: [`${VIP6}/64`], vmac: true }),
  });
  const cap = await captureSwitch(l, `vmac6-${impl}`, ['ip6']);
  // keepalived 2.2.7 started while the parent's link-local is still tentative (DAD) stays in FAULT ("no IPv6
  // address for interface") after DAD ends: start both daemons on settled interfaces.
  for (const h of ['r1', 'r2']) {
    await waitFor(
      async () => !(await l.host(h).exec('ip', ['-6', 'addr', 'show', 'scope', 'link'])).stdout.includes('tentative'),
      { timeoutMs: 10_000, description: `${h} link-local usable` },
    );
  }
  await l.startImplementation(builtInAdapter(impl));
  await waitMasterBackup(l);
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
  await slot.release();
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
  const l = await vmacPair('xmitbase', impl);
  const cap = await captureSwitch(l, `xmitbase-${impl}`, ['vrrp', 'or', 'arp']);
  await startPatched(l, impl, (text) => text.replace('use_vmac\n', 'use_vmac\n  vmac_xmit_base\n'));
  await waitMasterBackup(l);
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
  await slot.release();
  return facts;
}

describe.skipIf(!built)('vmac_xmit_base', () => {
  it('adverts leave from the parent MAC, GARPs from the VMAC, under both daemons', { timeout: 120_000 }, async () => {
    const ours = await observeXmitBase('vrrpd');
    // keepalived 2.2.7 with vmac_xmit_base lost its Backup once in about five runs on a loaded machine (no
    // advert of r1 in the capture, both Master): one more try before judging, reported when it happens.
    let theirs = await observeXmitBase('keepalived');
    if (theirs.steady === false || theirs.steady.r2 !== 'BACKUP') {
      console.log('keepalived vmac_xmit_base: no steady Backup, trying once more', JSON.stringify(theirs));
      theirs = await observeXmitBase('keepalived');
    }
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
