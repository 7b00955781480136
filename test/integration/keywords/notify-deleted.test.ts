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
 * A reload (SIGHUP) that removes instances. keepalived 2.2.7 reports a removed instance as FAULT — the generic
 * notify and the FIFO say FAULT, and no notify_fault script runs (docs/quirks.md Q56) — or, with
 * `notify_deleted`, as DELETED (and runs notify_deleted's script if it has one). Three Masters on r1: VI_1 plain, VI_2 with notify_deleted and
 * a script, VI_3 with notify_deleted alone; the reload keeps only VI_4. The same files under keepalived and
 * vrrpd: which scripts ran with what, and the FIFO lines, after the reload.
 */
const instance = (n: number, dir: string, extra: string) => `
vrrp_instance VI_${n} {
  interface eth0
  virtual_router_id ${110 + n}
  priority 100
  version 3
  advert_int 0.2
  notify_master "${dir}/note.sh master VI_${n}"
  notify_fault "${dir}/note.sh fault VI_${n}"
  notify_stop "${dir}/note.sh stop VI_${n}"
  notify ${dir}/note.sh
  ${extra}
  virtual_ipaddress {
    10.99.0.${210 + n}/24
  }
}
`;
const globalDefs = (dir: string) => `
global_defs {
  script_user nobody
  notify_fifo ${dir}/all.fifo
  notify_fifo_script ${dir}/fifo-reader.sh
}
`;
const before = (dir: string) =>
  globalDefs(dir) +
  instance(1, dir, '') +
  instance(2, dir, `notify_deleted "${dir}/note.sh deleted VI_2"`) +
  instance(3, dir, 'notify_deleted') +
  instance(4, dir, '');
const after = (dir: string) => globalDefs(dir) + instance(4, dir, '');

async function scenario(lab: Lab, impl: 'keepalived' | 'vrrpd') {
  const probe = await notifyProbe(lab, 'r1', impl);
  const dir = probe.dir;
  const confFile = join(lab.dir, `kw-r1-${impl}-daemon`, impl === 'vrrpd' ? 'vrrpd.conf' : 'keepalived.conf');
  let dut: Daemon | undefined;
  try {
    dut =
      impl === 'vrrpd'
        ? await startVrrpd(lab, 'r1', before(dir), `${impl}-daemon`)
        : await startKeepalived(lab, 'r1', before(dir), `${impl}-daemon`);
    // Every Master has been reported everywhere (its script, the generic notify, the FIFO reader, which may
    // lag) before the reload, so nothing from before it is counted after.
    for (const n of [1, 2, 3, 4]) {
      await until(`VI_${n} Master reported`, async () => {
        const notes = await probe.notes();
        const fifo = await probe.fifo('all.fifo');
        return (
          notes.includes(`nobody master VI_${n}`) &&
          notes.includes(`nobody INSTANCE VI_${n} MASTER 100`) &&
          fifo.includes(`nobody INSTANCE "VI_${n}" MASTER 100`)
        );
      });
    }
    const marked = (await probe.notes()).length;
    const fifoMarked = (await probe.fifo('all.fifo')).length;
    await writeFile(confFile, after(dir));
    process.kill(dut.pid, 'SIGHUP');
    await until('the removed instances released their VIPs', async () => {
      for (const n of [1, 2, 3]) if (await lab.host('r1').hasLocalAddress(`10.99.0.${210 + n}`)) return false;
      return true;
    });
    // The generic notify of each removed instance, and VI_2's notify_deleted script: four lines.
    await until('the reload notifies', async () => (await probe.notes()).length >= marked + 4);
    await stop(dut);
    dut = undefined;
    await probe.readersExited();
    return {
      notes: (await probe.notes()).slice(marked).sort(),
      fifo: (await probe.fifo('all.fifo')).slice(fifoMarked).filter((l) => !l.includes('VI_4')),
    };
  } catch (e) {
    return explain(impl, e, dut, probe);
  } finally {
    await stop(dut);
  }
}

describe.skipIf(!vrrpdBuilt)('notify_deleted (a reload removes instances)', () => {
  const r = underBoth('kw-notifydel', ['r1'], scenario);

  it('keepalived 2.2.7 (the reference): FAULT (no fault script) by default, DELETED with notify_deleted', () => {
    const k = r.keepalived();
    expect(k.notes.filter((l) => !l.includes('VI_4'))).toEqual([
      'nobody INSTANCE VI_1 FAULT 100',
      'nobody INSTANCE VI_2 DELETED 100',
      'nobody INSTANCE VI_3 DELETED 100',
      'nobody deleted VI_2',
    ]);
    expect(k.fifo.sort()).toEqual([
      'nobody INSTANCE "VI_1" FAULT 100',
      'nobody INSTANCE "VI_2" DELETED 100',
      'nobody INSTANCE "VI_3" DELETED 100',
    ]);
  });

  it('vrrpd: the same', () => {
    const [v, k] = [r.vrrpd(), r.keepalived()];
    expect(v.notes.filter((l) => !l.includes('VI_4'))).toEqual(k.notes.filter((l) => !l.includes('VI_4')));
    expect(v.fifo.sort()).toEqual(k.fifo.sort());
  });
});
