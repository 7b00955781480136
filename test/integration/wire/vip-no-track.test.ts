import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../harness/lab/index.js';
import type { GarpEvent } from '../../../harness/observers/packet-events.js';
import { type Impl, labPerFile, vrrpdBuilt, vrrpInstance } from './wire-lab.js';

/**
 * A VIP deleted from outside while Master (issue 9, VIP option `no_track`): keepalived 2.2.7 steps the instance
 * down to BACKUP and, unheard, takes over again with every address (seen as a new gratuitous ARP burst); a
 * `no_track` VIP is left deleted and the instance stays Master. The same configuration runs under both.
 */

const lab = labPerFile({
  switches: ['sw'],
  hosts: { r1: { links: [{ switch: 'sw', addresses: ['10.77.0.11/24'] }] } },
});

const TRACKED = '10.77.0.254';
const UNTRACKED = '10.77.0.253';
const CONF = vrrpInstance({
  priority: 150,
  body: '  version 3\n  advert_int 0.2',
  vips: [`${TRACKED}/24`, `${UNTRACKED}/24 no_track`],
});

const del = (address: string) =>
  execa('ip', ['-n', lab().host('r1').netns, 'addr', 'del', `${address}/24`, 'dev', 'eth0']);

async function observe(impl: Impl) {
  await lab().start('r1', impl, CONF);
  await lab().waitState('r1', 'VI_1', 'MASTER');
  await lab().holdHolders(TRACKED, ['r1'], 0);
  await lab().holdHolders(UNTRACKED, ['r1'], 0);

  // no_track: stays Master and the address stays deleted (longer than a Master_Down_Interval of ~0.7 s).
  await del(UNTRACKED);
  await lab().holdHolders(UNTRACKED, [], 1_500);
  const afterUntracked = await lab().stateOf('r1', 'VI_1');

  // Tracked: a new takeover, with a gratuitous ARP burst and every address back.
  const cap = await lab().capture('sw');
  await del(TRACKED);
  await waitFor(
    async () => (await lab().holders(TRACKED)).length === 1 && (await lab().holders(UNTRACKED)).length === 1,
    {
      timeoutMs: 10_000,
      description: 'both VIPs back after the takeover',
    },
  ).catch(() => undefined);
  await lab().waitState('r1', 'VI_1', 'MASTER');
  const garps = (await lab().events(cap)).filter((e): e is GarpEvent => e.kind === 'garp');
  const result = {
    afterUntracked,
    trackedBack: await lab().holds('r1', TRACKED),
    untrackedBack: await lab().holds('r1', UNTRACKED),
    newTakeover: garps.some((g) => g.ip === TRACKED),
  };
  await lab().stop('r1');
  return result;
}

describe.skipIf(!vrrpdBuilt)('a VIP deleted from outside (vrrpd = keepalived)', () => {
  it('tracked: back to BACKUP and Master again with every VIP; no_track: ignored', async () => {
    const ka = await observe('keepalived');
    const vd = await observe('vrrpd');
    expect(vd).toEqual(ka);
    expect(vd).toEqual({ afterUntracked: 'MASTER', trackedBack: true, untrackedBack: true, newTakeover: true });
  });
});
