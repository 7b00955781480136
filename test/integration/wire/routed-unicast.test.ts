import { describe, expect, it } from 'vitest';
import type { AdvertEvent } from '../../../harness/observers/packet-events.js';
import { type Impl, labPerFile, vrrpdBuilt } from './wire-lab.js';

/**
 * Routed unicast (issue 9, wire defects): r1 and r2 are one router apart (r1 — swA — rt — swB — r2), so
 * adverts arrive with TTL 254 or less. keepalived skips the TTL=255 check for unicast, sends `unicast_ttl`,
 * applies a peer's `min_ttl`/`max_ttl`, drops non-peers only with `check_unicast_src`, and with
 * `unicast_fault_no_peer` and no peers goes to FAULT. Every case runs under keepalived and under vrrpd and
 * compares the VIP holders, the states and the TTL seen on swB.
 */

const VIP = '10.77.9.254';

const lab = labPerFile({
  switches: ['swa', 'swb'],
  hosts: {
    r1: { links: [{ switch: 'swa', addresses: ['10.77.1.11/24'] }], routes: [['10.77.2.0/24', 'via', '10.77.1.1']] },
    r2: { links: [{ switch: 'swb', addresses: ['10.77.2.12/24'] }], routes: [['10.77.1.0/24', 'via', '10.77.2.1']] },
    rt: {
      forward: true,
      links: [
        { switch: 'swa', addresses: ['10.77.1.1/24'] },
        { switch: 'swb', addresses: ['10.77.2.1/24'] },
      ],
    },
  },
});

function conf(o: { priority: number; src: string; peers: string[]; extra?: string }): string {
  return `vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority ${o.priority}
  version 3
  advert_int 0.2
  unicast_src_ip ${o.src}
  unicast_peer {
${o.peers.map((p) => `    ${p}`).join('\n')}
  }
  ${o.extra ?? ''}
  virtual_ipaddress {
    ${VIP}/32
  }
}
`;
}

interface Setup {
  r1?: string;
  r2: { peers: string[]; extra?: string };
  /** Who must hold the VIP once converged (and stay so). */
  holders: string[];
}

async function observe(impl: Impl, s: Setup) {
  await lab().start('r1', impl, conf({ priority: 150, src: '10.77.1.11', peers: ['10.77.2.12'], extra: s.r1 }));
  await lab().start('r2', impl, conf({ priority: 100, src: '10.77.2.12', ...s.r2 }));
  await lab().waitState('r1', 'VI_1', 'MASTER');
  try {
    const cap = await lab().capture('swb');
    // 2.5 s > 3 Master_Down_Intervals: a Backup that drops the Master's adverts takes the VIP in this window.
    await lab().holdHolders(VIP, s.holders, 2_500);
    const states = { r1: await lab().stateOf('r1', 'VI_1'), r2: await lab().stateOf('r2', 'VI_1') };
    const holders = await lab().holders(VIP);
    const fromR1 = (await lab().events(cap)).filter(
      (e): e is AdvertEvent => e.kind === 'advert' && e.src === '10.77.1.11',
    );
    return { states, holders, ttls: [...new Set(fromR1.map((a) => a.ttl))], adverts: fromR1.length };
  } finally {
    await lab().stop('r1');
    await lab().stop('r2');
  }
}

async function compare(s: Setup) {
  const ka = await observe('keepalived', s);
  const vd = await observe('vrrpd', s);
  expect(vd).toMatchObject({ states: ka.states, holders: ka.holders, ttls: ka.ttls });
  expect(vd.adverts).toBeGreaterThanOrEqual(8);
  return vd;
}

describe.skipIf(!vrrpdBuilt)('routed unicast peers (vrrpd = keepalived)', () => {
  it('default unicast_ttl: adverts arrive with TTL 254 and are accepted, one Master', async () => {
    const r = await compare({ r2: { peers: ['10.77.1.11'] }, holders: ['r1'] });
    expect(r).toMatchObject({ states: { r1: 'MASTER', r2: 'BACKUP' }, holders: ['r1'], ttls: [254] });
  });

  it('unicast_ttl 10 is the sent TTL (9 after the router)', async () => {
    const r = await compare({ r1: 'unicast_ttl 10', r2: { peers: ['10.77.1.11'] }, holders: ['r1'] });
    expect(r).toMatchObject({ holders: ['r1'], ttls: [9] });
  });

  it('min_ttl/max_ttl of the peer: outside the range the adverts are dropped, inside they are taken', async () => {
    const drop = await compare({ r2: { peers: ['10.77.1.11 min_ttl 255'] }, holders: ['r1', 'r2'] });
    expect(drop).toMatchObject({ states: { r2: 'MASTER' }, holders: ['r1', 'r2'] });
    const keep = await compare({ r2: { peers: ['10.77.1.11 min_ttl 250 max_ttl 254'] }, holders: ['r1'] });
    expect(keep).toMatchObject({ states: { r2: 'BACKUP' }, holders: ['r1'] });
  });

  it('check_unicast_src: adverts from a non-peer count only when it is off (the default)', async () => {
    const off = await compare({ r2: { peers: ['10.77.1.99'] }, holders: ['r1'] });
    expect(off).toMatchObject({ states: { r2: 'BACKUP' }, holders: ['r1'] });
    const on = await compare({ r2: { peers: ['10.77.1.99'], extra: 'check_unicast_src' }, holders: ['r1', 'r2'] });
    expect(on).toMatchObject({ states: { r2: 'MASTER' }, holders: ['r1', 'r2'] });
  });

  it('unicast_fault_no_peer without peers: FAULT, no multicast fallback', async () => {
    const r = await compare({ r2: { peers: [], extra: 'unicast_fault_no_peer' }, holders: ['r1'] });
    expect(r).toMatchObject({ states: { r1: 'MASTER', r2: 'FAULT' }, holders: ['r1'] });
  });
});
