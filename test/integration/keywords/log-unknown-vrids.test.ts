import { describe, expect, it } from 'vitest';
import { Tester } from '../../../harness/conformance/tester.js';
import type { Lab } from '../../../harness/lab/index.js';
import { startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * `log_unknown_vrids`: r2 sends three adverts for VRID 77, which r1 has no instance for. Without the keyword
 * keepalived only ignores them; with it, it logs each one. Counted in each daemon's log (keepalived: "Unknown
 * VRID(77) received ...", vrrpd: "unknown VRID received" with the VRID). The same files under keepalived 2.2.7
 * and vrrpd; the adverts go out once r1 is Master, and the count is read once r1 has logged its own state
 * after them (a later advert interval).
 */
const VIP = '10.99.0.229';
const conf = (log: boolean) => `
${log ? 'global_defs {\n  log_unknown_vrids\n}' : ''}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 102
  priority 100
  version 3
  advert_int 0.2
  virtual_ipaddress {
    ${VIP}/24
  }
}
`;

async function logged(lab: Lab, impl: 'keepalived' | 'vrrpd', log: boolean): Promise<number> {
  const tester = await Tester.open(lab.host('r2').netns);
  const d = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', conf(log)) : await startKeepalived(lab, 'r1', conf(log));
  const count = async () => {
    const text = await d.log();
    return text.split('\n').filter((l) => /Unknown VRID\(77\)|unknown VRID received.*"vrid":77/.test(l)).length;
  };
  try {
    await until(`${impl} holds ${VIP}`, () => lab.host('r1').hasLocalAddress(VIP), 20_000);
    for (let i = 0; i < 3; i++) {
      tester.send(
        tester.frame4(
          tester.advert4({ version: 3, vrid: 77, priority: 100, advertIntervalCs: 100, addresses: ['10.99.0.77'] }),
        ),
      );
    }
    if (log) await until(`${impl} logged the three adverts`, async () => (await count()) >= 3);
    else {
      // Nothing to wait for: the window is the measurement (one second after the last advert).
      const until1s = Date.now() + 1000;
      await until(`${impl}: a second after the adverts`, async () => Date.now() > until1s);
    }
    return count();
  } finally {
    tester.close();
    await stop(d);
  }
}

describe.skipIf(!vrrpdBuilt)('log_unknown_vrids', () => {
  const r = underBoth('kw-unkvrid', ['r1', 'r2'], async (lab, impl) => ({
    quiet: await logged(lab, impl, false),
    logged: await logged(lab, impl, true),
  }));

  it('keepalived 2.2.7 (the reference): silent by default, one line per advert with it', () => {
    expect(r.keepalived()).toEqual({ quiet: 0, logged: 3 });
  });

  it('vrrpd: the same', () => {
    expect(r.vrrpd()).toEqual(r.keepalived());
  });
});
