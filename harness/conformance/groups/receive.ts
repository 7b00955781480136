import {
  type AdvertInput,
  internetChecksum,
  masterDownIntervalUs,
  VRRP_MULTICAST_V4,
} from '../../../src/protocol/index.js';
import { type DutLab, type InstanceSpec, openOrSkip } from '../dut-lab.js';
import { judgeKeepsAdvertising, judgeYields } from '../oracles/election.js';
import { failed, type GroupContext } from '../runner.js';
import { type Tester, withChecksum } from '../tester.js';
import type { Verdict } from '../types.js';

/**
 * R1–R18 with the oracle of a test station: the DUT is Master; the tester sends a higher-priority (200) advert
 * that is wrong in exactly one field. Discarded = the DUT keeps advertising on time; obeyed = it goes silent for
 * Master_Down_Interval. Per instance, a valid control advert first proves the DUT listens to the tester at all.
 * The instances (v3 IPv4, v3 IPv6, v2 IPv4, v3 unicast) run their cases in parallel lanes on one lab.
 */

const NET = 61;
const TESTER_PRIORITY = 200;
const DUT_PRIORITY = 100;
const SLACK_MS = 250;

interface Lane {
  key: string;
  vrid: number;
  family: 4 | 6;
  version: 2 | 3;
  intervalCs: number;
  vip: string;
  unicast?: boolean;
}

const LANES: Lane[] = [
  { key: 'v3-ipv4', vrid: 51, family: 4, version: 3, intervalCs: 10, vip: `10.${NET}.0.254` },
  { key: 'v3-ipv6', vrid: 52, family: 6, version: 3, intervalCs: 10, vip: `fd${NET}::254` },
  { key: 'v2-ipv4', vrid: 53, family: 4, version: 2, intervalCs: 100, vip: `10.${NET}.0.253` },
  { key: 'v3-ipv4-unicast', vrid: 54, family: 4, version: 3, intervalCs: 10, vip: `10.${NET}.0.252`, unicast: true },
];

function instanceOf(l: Lane): InstanceSpec {
  return {
    key: l.key,
    needs: l.unicast ? ['unicast'] : [],
    settings: {
      vrid: l.vrid,
      version: l.version,
      priority: DUT_PRIORITY,
      advertIntervalS: l.intervalCs / 100,
      vips: [`${l.vip}/${l.family === 4 ? 24 : 64}`],
      ...(l.version === 2 ? { initialState: 'MASTER' as const } : {}),
      // RFC 5798 §7.1 checks the TTL of every advert; keepalived's syntax for that with unicast peers (which
      // otherwise may be routed, docs/quirks.md Q34) is `min_ttl 255` on each peer.
      ...(l.unicast ? { unicast: true, unicastMinTtl: 255 } : {}),
    },
  };
}

const mdiMs = (l: Lane, cs = l.intervalCs) => masterDownIntervalUs(DUT_PRIORITY, cs, l.version) / 1000;

/** What the tester sends for one case and what the DUT must do with it. */
interface Step {
  id: string;
  frame: (t: Stimuli) => Buffer;
  /** 'discard' (keeps advertising) or the Master_Down_Interval the DUT must then wait (it obeyed). */
  expect: 'discard' | { silenceMs: number };
  /** Send on the tester's second interface (another link of the DUT). */
  other?: boolean;
}

/** Builders of stimuli for one lane, from one tester. */
class Stimuli {
  constructor(
    readonly lane: Lane,
    readonly tester: Tester,
    readonly dutIp: string,
    readonly dutMac: string,
  ) {}

  advert(over: Partial<AdvertInput> = {}): AdvertInput {
    const l = this.lane;
    return {
      version: l.version,
      vrid: l.vrid,
      priority: TESTER_PRIORITY,
      advertIntervalCs: l.intervalCs,
      addresses: [l.vip],
      ...(l.version === 2 ? { authType: 0 } : {}),
      ...over,
    };
  }

  /** The VRRP message (checksum right unless the caller breaks it). */
  message(over: Partial<AdvertInput> = {}, opts: { checksumForm?: 'rfc9568' } = {}): Buffer {
    const t = this.tester;
    const dst = this.lane.unicast ? this.dutIp : undefined;
    const o = { ...(dst ? { dst } : {}), ...opts };
    return this.lane.family === 4 ? t.advert4(this.advert(over), o) : t.advert6(this.advert(over), o);
  }

  frame(msg: Buffer, ttl = 255): Buffer {
    const t = this.tester;
    if (this.lane.family === 6) return t.frame6(msg, { hopLimit: ttl });
    return this.lane.unicast ? t.frame4(msg, { ttl, dst: this.dutIp, dstMac: this.dutMac }) : t.frame4(msg, { ttl });
  }

  valid(over: Partial<AdvertInput> = {}): Buffer {
    return this.frame(this.message(over));
  }

  /** The message with byte `at` set to `value` and the checksum made right again. */
  patched(at: number, value: number): Buffer {
    const m = Buffer.from(this.message());
    m[at] = value;
    const form = this.lane.version === 2 ? 'v2' : this.lane.family === 6 ? 'ipv6' : 'rfc5798';
    const src = this.lane.family === 4 ? this.tester.ipv4 : this.tester.linkLocal;
    const dst = this.lane.unicast ? this.dutIp : this.lane.family === 4 ? VRRP_MULTICAST_V4 : 'ff02::12';
    return this.frame(withChecksum(m, form, src, dst));
  }
}

/** A CARP advertisement (OpenBSD carp(4)): version 2 / type 1, 36 bytes with counter and SHA1 HMAC. */
function carp(vhid: number): Buffer {
  const b = Buffer.alloc(36);
  b.set([0x21, vhid, 0, 7, 0, 1], 0);
  b.writeBigUInt64BE(0x0102030405060708n, 8);
  for (let k = 16; k < 36; k++) b[k] = (k * 37) & 0xff;
  b.writeUInt16BE(internetChecksum(b), 6);
  return b;
}

function steps(l: Lane, accepts9568: boolean): Step[] {
  const v = l.key;
  const yieldTo = (cs = l.intervalCs) => ({ silenceMs: mdiMs(l, cs) });
  const out: Step[] = [];
  const add = (id: string, frame: Step['frame'], expect: Step['expect'] = 'discard', other = false) =>
    out.push({ id: `${id}/${v}`, frame, expect, ...(other ? { other } : {}) });
  if (l.family === 4) add('R1', (s) => s.frame(s.message(), 254));
  else add('R2', (s) => s.frame(s.message(), 254));
  if (l.unicast) return out;
  if (l.family === 4) {
    add('R3', (s) =>
      s.valid(
        l.version === 3
          ? { version: 2, advertIntervalCs: 100, authType: 0 }
          : { version: 3, advertIntervalCs: l.intervalCs },
      ),
    );
  }
  add('R4', (s) => {
    const m = Buffer.from(s.message());
    m.writeUInt16BE(m.readUInt16BE(6) ^ 0x5a5a, 6);
    return s.frame(m);
  });
  add('R5', (s) => {
    if (l.version === 2) return s.frame(withChecksum(s.message().subarray(0, 12), 'v2'));
    return s.patched(3, 2);
  });
  add('R6', (s) => s.valid({ type: 2 }));
  add('R7', (s) => s.valid({ vrid: 99 }));
  if (l.version === 2) {
    add('R8', (s) => s.valid({ authType: 1, authPass: 'secret' }));
    add('R9', (s) => s.valid({ advertIntervalCs: 200 }));
  } else {
    add('R10', (s) => s.valid({ advertIntervalCs: 50 }), yieldTo(50));
    if (l.family === 4) add('R11', (s) => s.valid({ reserved: 0xf }), yieldTo());
    add('R13', (s) => s.valid({ advertIntervalCs: 0 }));
  }
  add('R12', (s) => s.valid({ addresses: [] }));
  const other = l.family === 4 ? [`10.${NET}.0.99`, `10.${NET}.0.98`] : [`fd${NET}::99`];
  add('R14', (s) => s.valid({ addresses: other }), l.version === 2 ? 'discard' : yieldTo());
  if (l.version === 3 && l.family === 4) {
    add('R15', (s) => s.frame(s.message({}, { checksumForm: 'rfc9568' })), accepts9568 ? yieldTo() : 'discard');
    add('R18', (s) => s.valid(), 'discard', true);
  }
  if (l.family === 6) add('R16', (s) => s.valid({ addresses: [`10.${NET}.0.254`] }));
  if (l.version === 2) add('R17', () => Buffer.alloc(0));
  return out;
}

export async function runReceive(g: GroupContext): Promise<void> {
  const accepts9568 = !(g.ctx.adapter.unsupportedSettings ?? []).includes('checksum_9568');
  const lanes = LANES.map((l) => ({ lane: l, steps: steps(l, accepts9568).filter((s) => g.wants(s.id)) })).filter(
    (x) => x.steps.length > 0,
  );
  if (lanes.length === 0) return;
  const ids = lanes.flatMap((x) => x.steps.map((s) => s.id));
  const keyOf = (id: string) => id.split('/')[1] as string;
  const spec = {
    name: 'rx',
    net: NET,
    secondSwitch: ids.some((id) => id.startsWith('R18/')),
    hosts: { dut: { n: 1, instances: lanes.map((x) => instanceOf(x.lane)) } },
  };
  const lab = await openOrSkip(g, spec, ids, keyOf);
  if (!lab) return;
  try {
    const started = await lab.start('dut');
    if (!started) return;
    await Promise.all(lanes.filter((x) => lab.has(x.lane.key)).map((x) => runLane(g, lab, x.lane, x.steps)));
  } finally {
    await lab.close();
  }
}

async function runLane(g: GroupContext, lab: DutLab, l: Lane, laneSteps: Step[]): Promise<void> {
  const who = lab.whoOf('dut');
  const dutIp = who.ips.find((a) => !a.includes(':')) as string;
  const s = new Stimuli(l, lab.tester, dutIp, who.macs[0] as string);
  const intervalMs = l.intervalCs * 10;
  const masterAgain = async (timeoutMs: number) => lab.waitAdverts('dut', l.vrid, l.family, lab.wall(), 2, timeoutMs);
  const t0 = lab.wall();
  if (!(await masterAgain(mdiMs(l) + 10_000))) {
    for (const st of laneSteps) g.record(st.id, failed(`the DUT never became Master for VRID ${l.vrid}`));
    return;
  }
  // Control: a valid advert from the tester must be obeyed, or a "discard" below proves nothing.
  const controlAt = await lab.inject(s.valid());
  await lab.waitAdverts('dut', l.vrid, l.family, controlAt + 20, 1, mdiMs(l) + 5000);
  const control = judgeYields({
    frames: await lab.frames(),
    dut: who,
    vrid: l.vrid,
    family: l.family,
    t0WallMs: t0,
    injectedMs: controlAt,
    expectedMs: mdiMs(l),
    earlyMs: 15,
    slackMs: SLACK_MS,
  });
  for (const st of laneSteps) {
    g.begin(st.id);
    await masterAgain(mdiMs(l, 50) + 5000);
    const frame = st.id.startsWith('R17/') ? s.frame(withChecksum(carp(l.vrid), 'v2')) : st.frame(s);
    const via = st.other ? lab.tester2 : lab.tester;
    const at = await lab.inject(frame, via);
    const stimulus = (await lab.frames()).find((f) => f.wallMs === at);
    const base = {
      frames: [],
      dut: who,
      vrid: l.vrid,
      family: l.family,
      t0WallMs: at,
      injectedMs: at,
      ...(stimulus ? { stimulus } : {}),
    };
    let v: Verdict;
    if (st.expect === 'discard') {
      const want = l.version === 2 ? 2 : 3;
      await lab.waitAdverts('dut', l.vrid, l.family, at, want, want * intervalMs + 1500);
      v = judgeKeepsAdvertising({ ...base, frames: await lab.frames(), intervalMs, slackMs: SLACK_MS, want });
      v.measurements.controlSilenceMs = control.measurements.silenceMs ?? 'none';
      if (control.status === 'fail')
        v = { ...v, status: 'fail', detail: `control failed (${control.detail}); ${v.detail}` };
    } else {
      await lab.waitAdverts('dut', l.vrid, l.family, at + 20, 1, st.expect.silenceMs + 5000);
      v = judgeYields({
        ...base,
        frames: await lab.frames(),
        expectedMs: st.expect.silenceMs,
        earlyMs: 15,
        slackMs: SLACK_MS,
      });
    }
    g.record(st.id, v);
  }
}
