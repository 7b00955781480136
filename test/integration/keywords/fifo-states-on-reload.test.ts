import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../harness/lab/index.js';
import {
  type Daemon,
  explain,
  notifyProbe,
  startKeepalived,
  startVrrpd,
  stop,
  underBoth,
  until,
  vrrpdBuilt,
} from './hand-lab.js';

/**
 * `fifo_write_vrrp_states_on_reload`: after a reload (SIGHUP) that changes nothing, keepalived writes the
 * state of its instances to the notify FIFO again. r1 runs VI_M (alone on its VRID: Master), VI_B (behind r2's
 * keepalived at a higher priority: Backup, alone in sync group G) and VI_F (tracking a failing script:
 * FAULT). The FIFO lines the reload adds, with and without the keyword. The same files under keepalived 2.2.7 and vrrpd.
 */
const instance = (name: string, vrid: number, extra = '') => `
vrrp_instance ${name} {
  interface eth0
  virtual_router_id ${vrid}
  priority 100
  version 3
  advert_int 0.2
  ${extra}
  virtual_ipaddress {
    10.99.${vrid}.1/24
  }
}
`;
const conf = (dir: string, keyword: boolean) => `
global_defs {
  script_user nobody
  notify_fifo ${dir}/all.fifo
  notify_fifo_script ${dir}/fifo-reader.sh
  ${keyword ? 'fifo_write_vrrp_states_on_reload' : ''}
}
vrrp_script chk_fail {
  script /bin/false
  interval 1
}
vrrp_sync_group G {
  group {
    VI_B
  }
}
${instance('VI_M', 121)}${instance('VI_B', 122)}${instance('VI_F', 123, 'track_script {\n    chk_fail\n  }')}
`;
const peer = `
vrrp_instance VI_B {
  interface eth0
  virtual_router_id 122
  priority 200
  version 3
  advert_int 0.2
  virtual_ipaddress {
    10.99.122.1/24
  }
}
`;

async function scenario(lab: Lab, impl: 'keepalived' | 'vrrpd', keyword: boolean): Promise<string[]> {
  const probe = await notifyProbe(lab, 'r1', `${impl}-${keyword}`);
  const dir = probe.dir;
  const tag = `${impl}-fifo-${keyword}`;
  const confFile = join(lab.dir, `kw-r1-${tag}`, impl === 'vrrpd' ? 'vrrpd.conf' : 'keepalived.conf');
  let dut: Daemon | undefined;
  let r2: Daemon | undefined;
  try {
    r2 = await startKeepalived(lab, 'r2', peer, `peer-${tag}`);
    await until('r2 Master', () => lab.host('r2').hasLocalAddress('10.99.122.1'));
    const text = conf(dir, keyword);
    dut = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', text, tag) : await startKeepalived(lab, 'r1', text, tag);
    await until('VI_M Master', () => lab.host('r1').hasLocalAddress('10.99.121.1'));
    // Settled: every instance has written its state once (VI_B BACKUP, VI_F FAULT).
    await until('states on the FIFO', async () => {
      const f = await probe.fifo('all.fifo');
      return ['"VI_M" MASTER', '"VI_B" BACKUP', '"VI_F" FAULT'].every((s) => f.some((l) => l.includes(s)));
    });
    const before = (await probe.fifo('all.fifo')).length;
    await writeFile(confFile, text);
    process.kill(dut.pid, 'SIGHUP');
    // The reload is over once the daemon answers again; a second later nothing more is coming.
    const settleAt = Date.now() + 1500;
    await until('a reload and a second', async () => Date.now() > settleAt);
    const added = (await probe.fifo('all.fifo')).slice(before);
    await stop(dut);
    dut = undefined;
    await probe.readersExited();
    return added.sort();
  } catch (e) {
    return explain(impl, e, dut, probe);
  } finally {
    await stop(dut);
    await stop(r2);
  }
}

describe.skipIf(!vrrpdBuilt)('fifo_write_vrrp_states_on_reload', () => {
  const r = underBoth('kw-fiforeload', ['r1', 'r2'], async (lab, impl) => ({
    without: await scenario(lab, impl, false),
    with: await scenario(lab, impl, true),
  }));

  it("keepalived 2.2.7 (the reference): nothing without it; with it the states again, but not the Master's", () => {
    expect(r.keepalived()).toEqual({
      without: [],
      with: ['nobody GROUP "G" BACKUP 0', 'nobody INSTANCE "VI_B" BACKUP 100', 'nobody INSTANCE "VI_F" FAULT 100'],
    });
  });

  it('vrrpd: the same lines', () => {
    expect(r.vrrpd()).toEqual(r.keepalived());
  });
});
