import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../harness/lab/index.js';
import {
  type Daemon,
  explain,
  fromFirstMaster,
  notifyProbe,
  startKeepalived,
  startVrrpd,
  stop,
  underBoth,
  until,
  vrrpdBuilt,
} from './hand-lab.js';

/**
 * The notify extras, run under keepalived 2.2.7 and under vrrpd with the same keepalived.conf on r1, next
 * to a keepalived peer (priority 100) on r2: notify_fifo and vrrp_notify_fifo (every line in both), their
 * FIFO scripts (started with the FIFO path, as their user), notify scripts' `user`, script_user for the
 * others, notify_master_rx_lower_pri after a healed partition, and notify_priority_changes when a
 * track_file lowers the priority. What each daemon wrote (notify output, FIFO lines) must be the same.
 */
const VIP = '10.99.0.251';

const dutConf = (dir: string) => `
global_defs {
  router_id r1
  script_user nobody
  notify_fifo ${dir}/all.fifo
  notify_fifo_script ${dir}/fifo-reader.sh
  vrrp_notify_fifo ${dir}/vrrp.fifo daemon
  vrrp_notify_fifo_script ${dir}/fifo-reader.sh daemon
}
track_file prio {
  file ${dir}/prio
  weight 1
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 71
  priority 150
  version 3
  advert_int 0.2
  track_file {
    prio
  }
  notify_priority_changes
  notify_master "${dir}/note.sh master" daemon
  notify_backup "${dir}/note.sh backup"
  notify_stop "${dir}/note.sh stop"
  notify ${dir}/note.sh
  notify_master_rx_lower_pri "${dir}/note.sh rx_lower"
  virtual_ipaddress {
    ${VIP}/24
  }
}
`;

const peerConf = `
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 71
  priority 100
  version 3
  advert_int 0.2
  virtual_ipaddress {
    ${VIP}/24
  }
}
`;

interface Observed {
  notes: string[];
  allFifo: string[];
  vrrpFifo: string[];
}

async function scenario(lab: Lab, impl: 'keepalived' | 'vrrpd'): Promise<Observed> {
  const probe = await notifyProbe(lab, 'r1', impl);
  const dir = probe.dir;
  await writeFile(join(dir, 'prio'), '0\n');
  // r2 drops every advert it receives, so it stays Master at priority 100 and r1, once Master, keeps
  // hearing a lower priority (deterministic, unlike a healed partition where either side may speak first).
  await lab.host('r2').exec('nft', ['-f', '-'], {
    input: 'table inet kwdeaf {\n chain deaf {\n  type filter hook input priority 0;\n  ip protocol 112 drop\n }\n}\n',
  });
  let dut: Daemon | undefined;
  let peer: Daemon | undefined;
  try {
    peer = await startKeepalived(lab, 'r2', peerConf, `peer-${impl}`);
    await until('r2 Master', () => lab.host('r2').hasLocalAddress(VIP));
    dut = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', dutConf(dir)) : await startKeepalived(lab, 'r1', dutConf(dir));
    const notes = probe.notes;
    await until('r1 Master', async () => (await notes()).includes('daemon master'));
    await until('r1 heard the lower-priority Master', async () => (await notes()).includes('nobody rx_lower'));
    await stop(peer);
    peer = undefined;
    await writeFile(join(dir, 'prio'), '-10\n');
    // Both readers must have the line before the stop: keepalived terminates its FIFO scripts at shutdown,
    // so a line still in a pipe then is never read.
    for (const fifo of ['all.fifo', 'vrrp.fifo']) {
      await until(`priority change on ${fifo}`, async () =>
        (await probe.fifo(fifo)).some((l) => l.includes('MASTER_PRIORITY')),
      );
    }
    await stop(dut);
    dut = undefined;
    await until('notify_stop ran', async () => (await notes()).includes('nobody stop'));
    await probe.readersExited();
    return {
      // Scripts run concurrently, so their order is not behaviour; which ran, as whom, with what, is.
      notes: [...new Set(await notes())].filter((l) => !l.includes('FAULT')).sort(),
      allFifo: fromFirstMaster(await probe.fifo('all.fifo')),
      vrrpFifo: fromFirstMaster(await probe.fifo('vrrp.fifo')),
    };
  } catch (e) {
    return explain(impl, e, dut, probe);
  } finally {
    await stop(dut);
    await stop(peer);
    await lab.host('r2').exec('nft', ['delete', 'table', 'inet', 'kwdeaf']);
  }
}

describe.skipIf(!vrrpdBuilt)('notify extras: vrrpd writes what keepalived 2.2.7 writes', () => {
  const results = underBoth('kw-notify', ['r1', 'r2'], scenario);
  const keepalived = () => results.keepalived();
  const vrrpd = () => results.vrrpd();

  it('keepalived: FIFO lines and notify output of the scenario (the reference)', () => {
    expect(keepalived().allFifo).toContain('nobody INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150');
    expect(keepalived().allFifo).toContain('nobody INSTANCE "VI_1" MASTER_PRIORITY 140');
    expect(keepalived().vrrpFifo).toEqual(keepalived().allFifo.map((l) => l.replace(/^nobody /, 'daemon ')));
    expect(keepalived().notes).toContain('daemon master');
  });

  it('vrrpd writes the same lines to notify_fifo and vrrp_notify_fifo, read by their FIFO scripts as their users', () => {
    expect(vrrpd().allFifo).toEqual(keepalived().allFifo);
    expect(vrrpd().vrrpFifo).toEqual(keepalived().vrrpFifo);
  });

  it('vrrpd runs the same notify scripts as the same users (line user, else script_user)', () => {
    expect(vrrpd().notes).toEqual(keepalived().notes);
  });
});
