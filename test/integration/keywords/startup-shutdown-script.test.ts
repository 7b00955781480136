import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../harness/lab/index.js';
import {
  buildLab,
  linesOf,
  scratch,
  startKeepalived,
  startVrrpd,
  stop,
  underBoth,
  until,
  vrrpdBuilt,
} from './hand-lab.js';

/**
 * `startup_script` and `shutdown_script`: the first runs before any instance starts (the VIP is not there
 * yet), the second once the instances have stopped (the VIP is gone), with their arguments, as their user.
 * Each writes who ran it, its argument, and whether r1 held the VIP at that moment. The same file under
 * keepalived 2.2.7 and vrrpd. The scripts name `root` as their user: keepalived 2.2.7 hangs at start when
 * either script runs as another user (its own or script_user; docs/quirks.md Q57), so that is the only
 * setting both daemons can be compared on; vrrpd runs them as any user (the last test).
 */
const VIP = '10.99.0.231';

async function scenario(lab: Lab, impl: 'keepalived' | 'vrrpd', user = 'root'): Promise<string[]> {
  const dir = await scratch(lab, 'r1', `life-${impl}-${user}`);
  const out = join(dir, 'ran.log');
  await writeFile(out, '');
  await chmod(out, 0o666);
  const script = join(dir, 'life.sh');
  await writeFile(
    script,
    `#!/bin/sh\nif ip -o addr show | grep -q ' ${VIP}/'; then v=vip; else v=novip; fi\necho "$(id -un) $1 $v" >> ${out}\n`,
    { mode: 0o755 },
  );
  const conf = `
global_defs {
  startup_script "${script} start" ${user}
  startup_script_timeout 5
  shutdown_script "${script} stop" ${user}
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 100
  priority 100
  version 3
  advert_int 0.2
  virtual_ipaddress {
    ${VIP}/24
  }
}
`;
  const d = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', conf) : await startKeepalived(lab, 'r1', conf);
  try {
    await until(`${impl} holds ${VIP}`, () => lab.host('r1').hasLocalAddress(VIP), 20_000);
  } finally {
    await stop(d);
  }
  await until(`${impl}: the shutdown script ran`, async () => (await linesOf(out)).length >= 2);
  return linesOf(out);
}

describe.skipIf(!vrrpdBuilt)('startup_script / shutdown_script', () => {
  const r = underBoth('kw-life', ['r1'], scenario);

  it("keepalived 2.2.7 (the reference): start before the VIP, stop after it, as the scripts' user", () => {
    expect(r.keepalived()).toEqual(['root start novip', 'root stop novip']);
  });

  it('vrrpd: the same', () => {
    expect(r.vrrpd()).toEqual(r.keepalived());
  });
});

describe.skipIf(!vrrpdBuilt)('startup_script / shutdown_script as another user (vrrpd)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await buildLab('kw-life-user', ['r1']);
  });
  afterAll(async () => {
    await lab?.destroy();
  });

  it('runs them as the user keepalived.conf names, at the same moments', async () => {
    expect(await scenario(lab, 'vrrpd', 'nobody')).toEqual(['nobody start novip', 'nobody stop novip']);
  });
});
