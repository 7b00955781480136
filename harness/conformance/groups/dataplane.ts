import { masterDownIntervalUs, vmacFor } from '../../../src/protocol/index.js';
import { type DutLab, type InstanceSpec, openOrSkip, v3Instance } from '../dut-lab.js';
import { advertsOf } from '../evidence.js';
import { type HolderSample, judgeAnswer, judgeGarp, judgeHolders, judgeUnsolicitedNa } from '../oracles/dataplane.js';
import { failed, type GroupContext } from '../runner.js';
import type { CapturedFrame } from '../tester.js';
import type { Verdict } from '../types.js';

/**
 * D1–D7 in one lab: the DUT becomes Master on every instance (GARP/NA), forwards for a host behind the VIP,
 * answers or not ARP and pings to the VIP as Master and as Backup (the tester plays a priority-200 Master), and a
 * second DUT host of the same VRID shows the VIP-holder invariant across a graceful stop and a restart.
 */

const NET = 66;
const WAN = NET + 1;
const DUT = 10;
const DUT2 = 11;
const ip = (n: number) => `10.${NET}.0.${n}`;

interface Inst {
  key: string;
  vrid: number;
  family: 4 | 6;
  vip: string;
  host?: 'dut' | 'dut2';
  priority?: number;
  vmac?: boolean;
  acceptMode?: boolean;
  needs?: InstanceSpec['needs'];
}

const I = {
  plain: { key: 'v3-ipv4', vrid: 20, family: 4, vip: ip(254) },
  v6: { key: 'v3-ipv6', vrid: 21, family: 6, vip: `fd${NET}::254` },
  vmac: { key: 'v3-ipv4-vmac', vrid: 22, family: 4, vip: ip(253), vmac: true, needs: ['vmac'] },
  noaccept: { key: 'v3-ipv4-noaccept', vrid: 23, family: 4, vip: ip(252), acceptMode: false, needs: ['accept_mode'] },
  accept: { key: 'v3-ipv4-accept', vrid: 24, family: 4, vip: ip(251), acceptMode: true, needs: ['accept_mode'] },
  // On the second host: an IPv6 VMAC on the same host as an IPv4 one answers ARP for the IPv4 VIPs too
  // (keepalived sets arp_ignore only on IPv4 VMACs), which D3/v3-ipv4-vmac would then report.
  vmac6: { key: 'v3-ipv6-vmac', vrid: 26, family: 6, vip: `fd${NET}::253`, host: 'dut2', vmac: true, needs: ['vmac'] },
  d7: { key: 'd7', vrid: 25, family: 4, vip: ip(250) },
  d7b: { key: 'd7b', vrid: 25, family: 4, vip: ip(250), host: 'dut2', priority: 50 },
} satisfies Record<string, Inst>;

const USES: Record<string, Inst[]> = {
  'D1/v3-ipv4': [I.plain],
  'D1/v3-ipv4-vmac': [I.vmac],
  'D2/v3-ipv6': [I.v6],
  'D3/v3-ipv4-vmac': [I.vmac],
  'D3/v3-ipv6-vmac': [I.vmac6],
  'D4/v3-ipv4': [I.plain],
  'D4/v3-ipv4-vmac': [I.vmac],
  'D5/v3-ipv4-noaccept': [I.noaccept],
  'D5/v3-ipv4-accept': [I.accept],
  'D6/v3-ipv4': [I.plain],
  'D7/v3-ipv4': [I.d7, I.d7b],
};

/** Cases that send traffic through the DUT to the server behind it. */
const NEEDS_WAN = new Set(['D6/v3-ipv4', 'D4/v3-ipv4-vmac']);

const MDI_MS = masterDownIntervalUs(100, 10, 3) / 1000;

function spec(i: Inst): InstanceSpec {
  return v3Instance(i, {
    ...(i.vmac ? { vmac: true } : {}),
    ...(i.acceptMode === undefined ? {} : { acceptMode: i.acceptMode }),
  });
}

/** An IPv4 ICMP echo reply from `src` with identifier `id` (Ethernet II, no options assumed beyond IHL). */
function isEchoReply(f: CapturedFrame, src: string, id: number): boolean {
  const d = f.data;
  if (d.length < 42 || d.readUInt16BE(12) !== 0x0800 || d[23] !== 1) return false;
  const ihl = ((d[14] as number) & 0x0f) * 4;
  const from = [...d.subarray(26, 30)].join('.');
  return from === src && d[14 + ihl] === 0 && d.readUInt16BE(14 + ihl + 4) === id;
}

const macOfFrame = (f: CapturedFrame) =>
  [...f.data.subarray(6, 12)].map((b) => b.toString(16).padStart(2, '0')).join(':');

export async function runDataplane(g: GroupContext): Promise<void> {
  const ids = Object.keys(USES).filter((id) => g.wants(id));
  if (ids.length === 0) return;
  const insts = [...new Set(ids.flatMap((id) => USES[id] ?? []))];
  const labSpec = {
    name: 'dp',
    net: NET,
    hosts: {
      dut: {
        n: DUT,
        wan: ids.some((id) => NEEDS_WAN.has(id)),
        instances: insts.filter((i) => i.host !== 'dut2').map(spec),
      },
      dut2: { n: DUT2, instances: insts.filter((i) => i.host === 'dut2').map(spec) },
    },
  };
  const lab = await openOrSkip(g, labSpec, ids, (id) => USES[id]?.[0]?.key ?? '');
  if (!lab) return;
  try {
    await script(
      g,
      lab,
      ids.filter((id) => (USES[id] ?? []).every((i) => lab.has(i.key))),
    );
  } finally {
    await lab.close();
  }
}

async function script(g: GroupContext, lab: DutLab, ids: string[]): Promise<void> {
  const want = (id: string) => ids.includes(id);
  for (const id of ids) g.begin(id);
  const up1 = await lab.start('dut');
  // undefined for a host without instances
  const up = up1 ?? (await lab.start('dut2'));
  if (up1) await lab.start('dut2');
  if (!up) return;
  const t0 = up.callMs;
  const who = lab.whoOf('dut');
  const running = ([I.plain, I.v6, I.vmac, I.vmac6, I.noaccept, I.accept] as Inst[]).filter((i) => lab.has(i.key));
  await Promise.all(running.map((i) => lab.waitAdverts(i.host ?? 'dut', i.vrid, i.family, t0, 3, MDI_MS + 5000)));
  /** The DUT's first advert as Master of `i` and the MAC it advertises from (VMAC or interface MAC). */
  const firstAdvert = async (i: Inst) => {
    const a = advertsOf(await lab.frames(), lab.whoOf('dut'), i.vrid, i.family).find((x) => x.d.advert.priority > 0);
    return a ? { ms: a.wallMs, mac: a.frame.ev.kind === 'vrrp' ? a.frame.ev.srcMac : '' } : undefined;
  };

  for (const [id, i] of [
    ['D1/v3-ipv4', I.plain],
    ['D1/v3-ipv4-vmac', I.vmac],
  ] as const) {
    if (!want(id)) continue;
    const first = await firstAdvert(i);
    if (!first) {
      g.record(id, failed('the DUT never advertised as Master'));
      continue;
    }
    const mac = 'vmac' in i && i.vmac ? vmacFor(4, i.vrid) : first.mac;
    g.record(
      id,
      judgeGarp({ frames: await lab.frames(), t0WallMs: t0, vip: i.vip, mac, becameMasterMs: first.ms, withinMs: 500 }),
    );
  }
  if (want('D2/v3-ipv6')) {
    const first = await firstAdvert(I.v6);
    g.record(
      'D2/v3-ipv6',
      first
        ? judgeUnsolicitedNa({
            frames: await lab.frames(),
            t0WallMs: t0,
            vip: I.v6.vip,
            mac: first.mac,
            dutMacs: lab.whoOf('dut').macs,
            becameMasterMs: first.ms,
            withinMs: 500,
          })
        : failed('the DUT never advertised as Master'),
    );
  }

  const server = `10.${WAN}.0.100`;
  if (ids.some((id) => NEEDS_WAN.has(id))) {
    // The DUT routes (as a VRRP router does) and the server answers through it.
    await lab.host('dut').exec('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    await lab.host('server').exec('ip', ['route', 'replace', `10.${NET}.0.0/24`, 'via', `10.${WAN}.0.${DUT}`]);
  }
  if (want('D3/v3-ipv6-vmac')) {
    // A router answers NS with R=1 only when it forwards IPv6 (RFC 4861 §7.2.4; Linux takes R from forwarding).
    await lab.host(I.vmac6.host).exec('sysctl', ['-qw', 'net.ipv6.conf.all.forwarding=1']);
  }

  if (want('D6/v3-ipv4')) {
    // The tester behaves like a host with the VIP as gateway: it resolves the VIP with ARP and sends a ping for
    // the server behind the DUT to the MAC that answered; the server's reply must come back through the Master.
    const arpAt = await lab.inject(lab.tester.arpRequest(I.plain.vip));
    const reply = await lab.waitFrame(
      (f) => f.ev.kind === 'arp' && f.ev.op === 2 && f.ev.spa === I.plain.vip,
      arpAt,
      1000,
    );
    if (reply?.ev.kind !== 'arp') g.record('D6/v3-ipv4', failed(`no ARP reply for the gateway ${I.plain.vip}`));
    else {
      const id = 0x3fff;
      const askedMs = await lab.inject(lab.tester.echoRequest4(server, reply.ev.sha, id));
      await lab.waitFrame((f) => isEchoReply(f, server, id), askedMs, 1500);
      const v = judgeAnswer({
        frames: await lab.frames(),
        t0WallMs: t0,
        askedMs,
        expectAnswer: true,
        windowMs: 1500,
        what: `ping to ${server} sent to the gateway MAC ${reply.ev.sha}`,
        isAnswer: (f) => isEchoReply(f, server, id),
        macOf: macOfFrame,
      });
      v.packets.unshift({ tMs: reply.wallMs - t0, summary: `ARP reply for the gateway: ${reply.ev.sha}` });
      g.record('D6/v3-ipv4', v);
    }
  }

  const arp = async (i: Inst, expectAnswer: boolean) => {
    const req = lab.tester.arpRequest(i.vip);
    const askedMs = await lab.inject(req);
    await lab.waitFrame((f) => f.ev.kind === 'arp' && f.ev.op === 2 && f.ev.spa === i.vip, askedMs, 700);
    return judgeAnswer({
      frames: await lab.frames(),
      t0WallMs: t0,
      askedMs,
      expectAnswer,
      mac: vmacFor(4, i.vrid),
      windowMs: 700,
      what: `ARP request for ${i.vip}`,
      isAnswer: (f) => f.ev.kind === 'arp' && f.ev.op === 2 && f.ev.spa === i.vip,
      macOf: (f) => (f.ev.kind === 'arp' ? f.ev.sha : ''),
    });
  };
  const ns = async (i: Inst, expectAnswer: boolean) => {
    const isAnswer = (f: CapturedFrame) => f.ev.kind === 'na' && f.ev.target === i.vip && f.ev.solicited;
    const askedMs = await lab.inject(lab.tester.neighborSolicitation(i.vip));
    await lab.waitFrame(isAnswer, askedMs, 700);
    const frames = await lab.frames();
    const v = judgeAnswer({
      frames,
      t0WallMs: t0,
      askedMs,
      expectAnswer,
      mac: vmacFor(6, i.vrid),
      windowMs: 700,
      what: `Neighbor Solicitation for ${i.vip}`,
      isAnswer,
      macOf: (f) => (f.ev.kind === 'na' ? (f.ev.tlla ?? '') : ''),
    });
    const answer = frames.find((f) => f.wallMs > askedMs && isAnswer(f));
    if (expectAnswer && v.status === 'pass' && answer?.ev.kind === 'na' && !answer.ev.router) {
      return { ...v, status: 'fail' as const, detail: `${v.detail}, but with R=0 (the Master is a router)` };
    }
    return v;
  };
  let echoId = 0x4000;
  const ping = async (i: Inst, expectAnswer: boolean, dstMac: string) => {
    const id = ++echoId;
    const askedMs = await lab.inject(lab.tester.echoRequest4(i.vip, dstMac, id));
    await lab.waitFrame((f) => isEchoReply(f, i.vip, id), askedMs, 700);
    return judgeAnswer({
      frames: await lab.frames(),
      t0WallMs: t0,
      askedMs,
      expectAnswer,
      windowMs: 700,
      what: `ping to ${i.vip}`,
      isAnswer: (f) => isEchoReply(f, i.vip, id),
      macOf: macOfFrame,
    });
  };
  const dutMac = who.macs[0] as string;
  const d3Master = want('D3/v3-ipv4-vmac') ? await arp(I.vmac, true) : undefined;
  const d3Master6 = want('D3/v3-ipv6-vmac') ? await ns(I.vmac6, true) : undefined;
  if (want('D5/v3-ipv4-noaccept')) g.record('D5/v3-ipv4-noaccept', await ping(I.noaccept, false, dutMac));
  if (want('D5/v3-ipv4-accept')) g.record('D5/v3-ipv4-accept', await ping(I.accept, true, dutMac));

  // The tester becomes a priority-200 Master of the plain and VMAC VRIDs: the DUT is Backup there.
  if (['D3/v3-ipv4-vmac', 'D3/v3-ipv6-vmac', 'D4/v3-ipv4', 'D4/v3-ipv4-vmac'].some(want)) {
    const backups = [I.plain, I.vmac, I.vmac6].filter((i) => lab.has(i.key));
    const stops = backups.map((i) =>
      lab.tester.every(100, () => {
        const a = { version: 3 as const, vrid: i.vrid, priority: 200, advertIntervalCs: 10, addresses: [i.vip] };
        return i.family === 6 ? lab.tester.frame6(lab.tester.advert6(a)) : lab.tester.frame4(lab.tester.advert4(a));
      }),
    );
    try {
      // Backup once the DUT has been silent for a while (and the VIP is gone).
      await lab.waitAdverts('dut', I.plain.vrid, 4, lab.wall() + 50, 1, 400);
      if (want('D4/v3-ipv4')) {
        const held = await lab.holds('dut', I.plain.vip);
        const v = await ping(I.plain, false, dutMac);
        v.measurements.vipHeldByDut = held ? 'yes' : 'no';
        g.record(
          'D4/v3-ipv4',
          held ? { ...v, status: 'fail', detail: `the Backup still holds ${I.plain.vip}; ${v.detail}` } : v,
        );
      }
      if (want('D4/v3-ipv4-vmac')) {
        // A Backup must not take frames sent to the VMAC: a ping for the server behind it, addressed to the VMAC,
        // gets no reply unless the Backup routed it.
        const id = 0x3ffe;
        const askedMs = await lab.inject(lab.tester.echoRequest4(server, vmacFor(4, I.vmac.vrid), id));
        await lab.waitFrame((f) => isEchoReply(f, server, id), askedMs, 1000);
        g.record(
          'D4/v3-ipv4-vmac',
          judgeAnswer({
            frames: await lab.frames(),
            t0WallMs: t0,
            askedMs,
            expectAnswer: false,
            windowMs: 1000,
            what: `ping to ${server} sent to the VMAC ${vmacFor(4, I.vmac.vrid)} of a Backup`,
            isAnswer: (f) => isEchoReply(f, server, id),
            macOf: macOfFrame,
          }),
        );
      }
      const both = (id: string, master: Verdict | undefined, backup: () => Promise<Verdict>) =>
        master === undefined
          ? Promise.resolve()
          : (master.status === 'fail'
              ? Promise.resolve({ ...master, detail: `as Master: ${master.detail}` })
              : backup().then((b) => ({
                  ...b,
                  detail: `as Master: ${master.detail}; as Backup: ${b.detail}`,
                  measurements: { ...master.measurements, ...b.measurements },
                }))
            ).then((v) => g.record(id, v));
      await both('D3/v3-ipv4-vmac', d3Master, () => arp(I.vmac, false));
      await both('D3/v3-ipv6-vmac', d3Master6, () => ns(I.vmac6, false));
    } finally {
      for (const s of stops) s();
    }
  }

  if (want('D7/v3-ipv4')) g.record('D7/v3-ipv4', await holderInvariant(lab, t0));
}

/** D7: sample the VIP holders of both DUT hosts across a graceful stop of the Master and its restart. */
async function holderInvariant(lab: DutLab, t0: number) {
  const samples: HolderSample[] = [];
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      const [a, b] = await Promise.all([lab.holds('dut', I.d7.vip), lab.holds('dut2', I.d7.vip)]);
      samples.push({ tMs: lab.wall(), holders: [...(a ? ['dut'] : []), ...(b ? ['dut2'] : [])] });
    }
  })();
  try {
    await lab.waitAdverts('dut', I.d7.vrid, 4, lab.wall(), 5, 3000);
    await lab.stop('dut');
    await lab.waitAdverts('dut2', I.d7.vrid, 4, lab.wall(), 5, 5000);
    await lab.start('dut');
    await lab.waitAdverts('dut', I.d7.vrid, 4, lab.wall(), 5, MDI_MS + 5000);
  } finally {
    sampling = false;
    await loop;
  }
  // Stable from the first sample with exactly one holder.
  const firstStable = samples.findIndex((s) => s.holders.length === 1);
  return judgeHolders({
    samples: firstStable < 0 ? samples : samples.slice(firstStable),
    t0WallMs: t0,
    // Priority 0 from the stopping Master: the Backup (50) waits Skew_Time ≈ 80 ms; plus the holder probes.
    maxNoneMs: MDI_MS + 250,
    maxMultiMs: 250,
  });
}
