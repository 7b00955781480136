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
 * vrrp_sync_group's own tracking and notifications, under keepalived 2.2.7 and under vrrpd with the same
 * file on r1: the group's track_interface (eth1) faults both members, GROUP lines reach the FIFO and the
 * group's notify_* and generic notify scripts run; and without sync_group_tracking_weight a member's
 * weighted track_script is dropped, so its failing check leaves the priority at 150.
 */
const VIPS = ['10.99.0.241', '10.99.0.242'];

const conf = (dir: string) => `
global_defs {
  script_user nobody
  notify_fifo ${dir}/all.fifo
  notify_fifo_script ${dir}/fifo-reader.sh
}
vrrp_script chk_fail {
  script /bin/false
  interval 1
  weight -20
}
${[1, 2]
  .map(
    (i) => `vrrp_instance VI_${i} {
  interface eth0
  virtual_router_id ${80 + i}
  priority 150
  version 3
  advert_int 0.2
  track_script {
    chk_fail
  }
  virtual_ipaddress {
    ${VIPS[i - 1]}/24
  }
}`,
  )
  .join('\n')}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
  track_interface {
    eth1
  }
  notify_master "${dir}/note.sh group-master"
  notify_backup "${dir}/note.sh group-backup"
  notify_fault "${dir}/note.sh group-fault"
  notify_stop "${dir}/note.sh group-stop"
  notify ${dir}/note.sh
}
`;

/** The FIFO lines of each subject (INSTANCE "VI_1", ..., GROUP "G1"), in order. */
function bySubject(lines: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of lines) {
    const subject = /^\S+ (\S+ "[^"]+")/.exec(l)?.[1] ?? '?';
    out[subject] ??= [];
    out[subject].push(l);
  }
  return out;
}

interface Observed {
  notes: string[];
  fifo: string[];
}

async function scenario(lab: Lab, impl: 'keepalived' | 'vrrpd'): Promise<Observed> {
  const probe = await notifyProbe(lab, 'r1', `sg-${impl}`);
  await writeFile(join(probe.dir, 'keepalived.conf'), conf(probe.dir));
  let dut: Daemon | undefined;
  const holders = () => Promise.all(VIPS.map((v) => lab.host('r1').hasLocalAddress(v)));
  try {
    const text = conf(probe.dir);
    dut =
      impl === 'vrrpd'
        ? await startVrrpd(lab, 'r1', text, `d-${impl}`)
        : await startKeepalived(lab, 'r1', text, `d-${impl}`);
    await until('group MASTER', async () => (await probe.notes()).includes('nobody group-master'));
    await until('both VIPs', async () => (await holders()).every(Boolean));
    await lab.host('r1').exec('ip', ['link', 'set', 'eth1', 'down']);
    await until('group FAULT', async () => (await probe.notes()).includes('nobody group-fault'));
    await until('no VIP', async () => !(await holders()).some(Boolean));
    await lab.host('r1').exec('ip', ['link', 'set', 'eth1', 'up']);
    await until(
      'group MASTER again',
      async () => (await probe.fifo('all.fifo')).filter((l) => l.endsWith('GROUP "G1" MASTER 0')).length >= 2,
    );
    await stop(dut);
    dut = undefined;
    await until('GROUP STOP notified', async () => {
      const notes = await probe.notes();
      return notes.includes('nobody GROUP G1 STOP 0') && notes.includes('nobody group-stop');
    });
    await probe.readersExited();
    return {
      notes: [...new Set(await probe.notes())].sort(),
      fifo: fromFirstMaster(await probe.fifo('all.fifo')),
    };
  } catch (e) {
    return explain(impl, e, dut, probe);
  } finally {
    await stop(dut);
    await lab.host('r1').exec('ip', ['link', 'set', 'eth1', 'up']);
  }
}

describe.skipIf(!vrrpdBuilt)(
  'vrrp_sync_group tracking and GROUP notifications: vrrpd does what keepalived 2.2.7 does',
  () => {
    const results = underBoth('kw-sync', ['r1'], scenario, true);
    const keepalived = () => results.keepalived();
    const vrrpd = () => results.vrrpd();

    it('keepalived (the reference): GROUP lines, member weights dropped (priority stays 150)', () => {
      expect(keepalived().fifo).toContain('nobody GROUP "G1" FAULT 0');
      expect(keepalived().fifo).toContain('nobody INSTANCE "VI_1" MASTER 150');
    });

    it('vrrpd writes the same FIFO lines: the same sequence for each instance and for the group', () => {
      // Which member is synced first is an implementation detail (keepalived walks its lists in either
      // direction); each one's own sequence, and the group's, are behaviour: no member flaps on recovery.
      expect(bySubject(vrrpd().fifo)).toEqual(bySubject(keepalived().fifo));
    });

    it('vrrpd notifies the group after its members, like keepalived', () => {
      for (const fifo of [keepalived().fifo, vrrpd().fifo]) {
        for (const [i, line] of fifo.entries()) {
          const m = / GROUP "G1" (\w+) 0$/.exec(line);
          if (!m) continue;
          for (const member of ['VI_1', 'VI_2']) {
            const last = fifo
              .slice(0, i)
              .filter((l) => l.includes(`INSTANCE "${member}"`))
              .at(-1);
            expect(last, `${member} before ${line}`).toMatch(new RegExp(` ${m[1]} \\d+$`));
          }
        }
      }
    });

    it('vrrpd runs the same group and instance notify scripts', () => {
      expect(vrrpd().notes).toEqual(keepalived().notes);
    });
  },
);
