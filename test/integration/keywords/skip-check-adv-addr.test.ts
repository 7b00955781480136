import { describe, expect, it } from 'vitest';
import { Tester } from '../../../harness/conformance/tester.js';
import type { Lab } from '../../../harness/lab/index.js';
import { startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * `skip_check_adv_addr`: a Backup does not check the address list of an advert that comes from the Master it
 * last heard. r2 plays that Master (priority 200, VRRPv2 every second) with r1's VIP; then its list grows by
 * an address r1 does not have. Without the keyword r1 drops those adverts (RFC 3768 §7.1) and takes over after
 * Master_Down_Interval; with it r1 stays Backup — until the same list comes from another source, which is
 * checked in full again. The same files under keepalived 2.2.7 and vrrpd; "took over" is r1 holding the VIP.
 */
const VIP = '10.99.0.240';
const OTHER = '10.99.0.241';
const VRID = 94;
const conf = (skip: boolean) => `
vrrp_instance VI_1 {
  interface eth0
  state BACKUP
  virtual_router_id ${VRID}
  priority 100
  advert_int 1
${skip ? '  skip_check_adv_addr\n' : ''}  virtual_ipaddress {
    ${VIP}/24
  }
}
`;

/** Master_Down_Interval at priority 100 and 1 s is 3.61 s; a window past it, with room for a loaded CPU. */
const WINDOW_MS = 5500;

interface Facts {
  /** r1 held the VIP while the matching adverts came (it must not: it hears them). */
  heldWhileMatching: boolean;
  /** r1 took the VIP once the same source advertised an extra address. */
  tookOnGrownList: boolean;
  /** (with the keyword) r1 took the VIP once another source sent that list. */
  tookOnOtherSource?: boolean;
}

async function scenario(lab: Lab, impl: 'keepalived' | 'vrrpd', skip: boolean): Promise<Facts> {
  const r1 = lab.host('r1');
  const tester = await Tester.open(lab.host('r2').netns);
  const advert = (addresses: string[]) =>
    tester.advert4({ version: 2, vrid: VRID, priority: 200, advertIntervalCs: 100, addresses });
  /** Whether r1 holds the VIP at some moment within `ms` (stops looking at the first sighting). */
  const takesWithin = (ms: number) =>
    until(`${impl} r1 holds ${VIP}`, () => r1.hasLocalAddress(VIP), ms).then(
      () => true,
      () => false,
    );
  let stopSending = tester.every(1000, () => tester.frame4(advert([VIP])));
  const d = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', conf(skip)) : await startKeepalived(lab, 'r1', conf(skip));
  try {
    const facts: Facts = { heldWhileMatching: await takesWithin(WINDOW_MS), tookOnGrownList: false };
    stopSending();
    stopSending = tester.every(1000, () => tester.frame4(advert([VIP, OTHER])));
    facts.tookOnGrownList = await takesWithin(WINDOW_MS);
    if (skip && !facts.tookOnGrownList) {
      stopSending();
      stopSending = tester.every(1000, () => tester.frame4(advert([VIP, OTHER]), { src: '10.99.0.99' }));
      facts.tookOnOtherSource = await takesWithin(WINDOW_MS);
    }
    return facts;
  } finally {
    stopSending();
    tester.close();
    await stop(d);
    await until(`${impl} released ${VIP}`, async () => !(await r1.hasLocalAddress(VIP)));
  }
}

describe.skipIf(!vrrpdBuilt)('skip_check_adv_addr', () => {
  const r = underBoth('kw-skipadv', ['r1', 'r2'], async (lab, impl) => ({
    checked: await scenario(lab, impl, false),
    skipped: await scenario(lab, impl, true),
  }));

  it('keepalived 2.2.7 (the reference): checks the list by default; skips it for the same Master only', () => {
    expect(r.keepalived()).toEqual({
      checked: { heldWhileMatching: false, tookOnGrownList: true },
      skipped: { heldWhileMatching: false, tookOnGrownList: false, tookOnOtherSource: true },
    });
  });

  it('vrrpd: the same', () => {
    expect(r.vrrpd()).toEqual(r.keepalived());
  });
});
