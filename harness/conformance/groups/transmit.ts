import { isLinkLocalV6 } from '../../../src/protocol/index.js';
import { stripPrefix } from '../../adapters/settings-checks.js';
import { type DutLab, type InstanceSpec, openOrSkip } from '../dut-lab.js';
import { advertsOf } from '../evidence.js';
import {
  judgeT1,
  judgeT2,
  judgeT3,
  judgeT4,
  judgeT5,
  judgeT6,
  judgeT7,
  judgeT8,
  judgeT9,
  judgeT10,
  type TxExpect,
  type TxInput,
} from '../oracles/transmit.js';
import type { GroupContext } from '../runner.js';
import type { Verdict } from '../types.js';

/**
 * T1–T10: one lab whose DUT runs one instance per variant (v3 IPv4/IPv6 at 0.1 s, v2 at 1 s, PASS auth, an
 * owner, VMAC), starts, advertises for a while and is stopped gracefully; every check reads that one capture.
 * T5 at the field's edge has its own lab: 40.955 s does not fit the 12-bit centisecond field.
 */

const NET = 62;
const EDGE_NET = 64;
const v4 = (h: number) => `10.${NET}.0.${h}/24`;

const INSTANCES: InstanceSpec[] = [
  { key: 'v3-ipv4', needs: [], settings: { vrid: 61, version: 3, advertIntervalS: 0.1, vips: [v4(254)] } },
  {
    key: 'v3-ipv6',
    needs: [],
    settings: { vrid: 62, version: 3, advertIntervalS: 0.1, vips: [`fe80::${NET}:254/64`, `fd${NET}::254/64`] },
  },
  {
    key: 'v2-ipv4',
    needs: [],
    settings: { vrid: 63, version: 2, advertIntervalS: 1, initialState: 'MASTER', vips: [v4(253), v4(252)] },
  },
  {
    key: 'v2-ipv4-auth',
    needs: ['auth_pass'],
    settings: {
      vrid: 64,
      version: 2,
      priority: 150,
      advertIntervalS: 1,
      initialState: 'MASTER',
      authPass: 'secret1',
      vips: [v4(251)],
    },
  },
  {
    key: 'v3-ipv4-owner',
    needs: ['owner'],
    settings: { vrid: 65, version: 3, priority: 255, advertIntervalS: 0.1, vips: [v4(250)] },
  },
  {
    key: 'v3-ipv4-vmac',
    needs: ['vmac'],
    settings: { vrid: 66, version: 3, advertIntervalS: 0.1, vmac: true, vips: [v4(249)] },
  },
  {
    key: 'v3-ipv6-vmac',
    needs: ['vmac'],
    settings: {
      vrid: 67,
      version: 3,
      advertIntervalS: 0.1,
      vmac: true,
      vips: [`fe80::${NET}:249/64`, `fd${NET}::249/64`],
    },
  },
];

/** Which instance each variant reads. */
const VARIANT_INSTANCE: Record<string, string> = {
  'T3/v3-ipv4-vmac': 'v3-ipv4-vmac',
  'T3/v3-ipv6-vmac': 'v3-ipv6-vmac',
  'T6/v2-ipv4-auth': 'v2-ipv4-auth',
  'T10/v3-ipv4-owner': 'v3-ipv4-owner',
};
const instanceKeyOf = (id: string) => VARIANT_INSTANCE[id] ?? (id.split('/')[1] as string);

const JUDGES: Record<string, (i: TxInput) => Verdict> = {
  T1: judgeT1,
  T2: judgeT2,
  T3: judgeT3,
  T4: judgeT4,
  T5: (i) => judgeT5(i),
  T6: judgeT6,
  T7: judgeT7,
  T8: judgeT8,
  T9: (i) => judgeT9(i),
  T10: judgeT10,
};

const WANT = { 2: 6, 3: 15 } as const;

export async function runTransmit(g: GroupContext): Promise<void> {
  const main = g.selected.filter((v) => v.id !== 'T5/v3-ipv4-edge');
  if (main.length > 0)
    await runMain(
      g,
      main.map((v) => v.id),
    );
  if (g.wants('T5/v3-ipv4-edge')) await runEdge(g);
}

async function runMain(g: GroupContext, ids: string[]): Promise<void> {
  const keys = new Set(ids.map(instanceKeyOf));
  const spec = {
    name: 'tx',
    net: NET,
    linkLocalVips: true,
    hosts: { dut: { n: 1, instances: INSTANCES.filter((i) => keys.has(i.key)) } },
  };
  const lab = await openOrSkip(g, spec, ids, instanceKeyOf);
  if (!lab) return;
  try {
    for (const id of ids) g.begin(id);
    const started = await lab.start('dut');
    if (!started) return;
    const running = [...keys].filter((k) => lab.has(k)).map((k) => lab.instance(k).settings);
    // Enough adverts of every instance, counted as they arrive on the bridge.
    await Promise.all(
      running.map((s) =>
        lab.waitAdverts('dut', s.vrid, s.vips[0]?.includes(':') ? 6 : 4, started.callMs, WANT[s.version], 30_000),
      ),
    );
    const stopMs = await lab.stop('dut');
    const frames = await lab.frames();
    const who = lab.whoOf('dut');
    for (const id of ids) {
      const key = instanceKeyOf(id);
      if (!lab.has(key)) continue;
      const s = lab.instance(key).settings;
      const family = s.vips[0]?.includes(':') ? 6 : 4;
      const expect: TxExpect = {
        version: s.version,
        family,
        vrid: s.vrid,
        priority: s.priority,
        intervalCs: Math.round(s.advertIntervalS * 100),
        vips: s.vips.map(stripPrefix),
        ...(s.authPass === undefined ? {} : { authPass: s.authPass }),
        sources: family === 4 ? who.ips.filter((a) => !a.includes(':')) : who.ips.filter((a) => isLinkLocalV6(a)),
        stopWallMs: stopMs,
      };
      const adverts = advertsOf(frames, who, s.vrid, family);
      const judge = JUDGES[id.split('/')[0] as string] as (i: TxInput) => Verdict;
      g.record(id, judge({ adverts, expect, t0WallMs: started.callMs }));
    }
  } finally {
    await lab.close();
  }
}

/**
 * T5 at the edge: v3 `advert_int 40.955` is 4095.5 cs, beyond the 12-bit field's 4095. A conforming
 * implementation refuses the setting or sends the nearest value the field holds (4095 cs); it must never send a
 * wrapped value (4096 & 0xfff = 0, which every receiver discards as Max Adver Int 0). The DUT is the owner, so
 * it is Master at once and its first adverts show the field.
 */
async function runEdge(g: GroupContext): Promise<void> {
  const id = 'T5/v3-ipv4-edge';
  const spec = {
    name: 'txedge',
    net: EDGE_NET,
    hosts: {
      dut: {
        n: 1,
        instances: [
          {
            key: 'edge',
            needs: ['owner' as const],
            beyondProtocolLimits: true,
            settings: {
              vrid: 68,
              version: 3 as const,
              priority: 255,
              initialState: 'MASTER' as const,
              advertIntervalS: 40.955,
              vips: [`10.${EDGE_NET}.0.254/24`],
            },
          },
        ],
      },
    },
  };
  const lab = await openOrSkip(g, spec, [id], () => 'edge');
  if (!lab) return;
  try {
    g.begin(id);
    let started: Awaited<ReturnType<DutLab['start']>>;
    try {
      started = await lab.start('dut');
    } catch (err) {
      // Refusing is conforming when it is a configuration error a person can act on, not a crash.
      const lines = (err as Error).message.split('\n').map((l) => l.trim());
      const configError = lines.find((l) => /:\d+(:\d+)?: error: .*(interval|advert)/i.test(l));
      g.record(id, {
        status: configError ? 'pass' : 'fail',
        detail: configError
          ? `refused the out-of-range interval at start-up: ${configError}`
          : `exited at start-up without a configuration error: ${lines.find((l) => /error/i.test(l)) ?? lines[0]}`,
        measurements: { configuredS: 40.955, refused: 'yes' },
        packets: [],
        timeline: [],
      });
      return;
    }
    if (!started) return;
    // The owner's first advert goes out at once; the next ones 40.95 s apart, too long to wait: the field is the
    // same in every advert, so the first decides.
    const came = await lab.waitAdverts('dut', 68, 4, started.callMs, 1, 10_000);
    const frames = await lab.frames();
    const who = lab.whoOf('dut');
    const adverts = advertsOf(frames, who, 68, 4);
    const v = judgeT5(
      {
        adverts,
        expect: { version: 3, family: 4, vrid: 68, priority: 255, intervalCs: 4095, vips: [], sources: who.ips },
        t0WallMs: started.callMs,
      },
      4095,
      1,
    );
    v.measurements.configuredS = 40.955;
    if (!came && adverts.length === 0) v.detail = `no advert within 10 s of start-up: ${v.detail}`;
    g.record(id, v);
  } finally {
    await lab.close();
  }
}
