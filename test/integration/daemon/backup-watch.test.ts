import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import { defineTopology, Lab, waitFor } from '../../../harness/lab/index.js';
import type { DaemonStatus, InstanceStatus } from '../../../src/runtime/status.js';
import { captureAdverts } from '../../bench/capture.js';

/**
 * A Backup's Master_Down kept by the addon while the Master repeats itself (docs/design.md, Timers), seen from
 * outside on two vrrpd nodes: the repeats are counted, a priority raised by tracking still preempts, and a
 * silent Master is still replaced one Master_Down_Interval after its last advert.
 */

const built = existsSync(vrrpdCliPath());
/** r2's Master_Down_Interval (RFC 5798 §6.1): 3 × 100 ms + Skew_Time, (256 − 100) × 100 ms / 256. */
const MDI_MS = 300 + (156 * 100) / 256;
const hosts = ['r1', 'r2'] as const;
type Host = (typeof hosts)[number];

let lab: Lab;
let dir: string;
const pids: Partial<Record<Host, number>> = {};

const config = (h: Host, priority: number) => `
global_defs {
  router_id ${h}
}
track_file weight_file {
  file "${dir}/${h}.weight"
  weight 1
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority ${priority}
  version 3
  advert_int 0.1
  track_file {
    weight_file
  }
  virtual_ipaddress {
    10.99.0.254/24
  }
}
`;

async function instance(h: Host): Promise<InstanceStatus> {
  const { stdout } = await lab
    .host(h)
    .exec(process.execPath, [vrrpdCliPath(), 'status', '--json', '--control-socket', join(dir, `${h}.sock`)]);
  return (JSON.parse(stdout) as DaemonStatus).instances[0]!;
}

const until = (what: string, pred: () => Promise<boolean>, timeoutMs = 10_000) =>
  waitFor(() => pred().catch(() => false), { timeoutMs, intervalMs: 50, description: what });

async function start(h: Host, priority: number): Promise<void> {
  await writeFile(join(dir, `${h}.conf`), config(h, priority));
  pids[h] = await lab
    .host(h)
    .spawn(
      process.execPath,
      [vrrpdCliPath(), '-f', join(dir, `${h}.conf`), '-n', '--log-format', 'json', '-p', join(dir, `${h}.pid`)].concat([
        '--control-socket',
        join(dir, `${h}.sock`),
      ]),
      { logFile: join(dir, `${h}.log`) },
    );
}

describe.skipIf(!built)('vrrpd Backup: Master_Down restarted by the addon for repeated adverts', () => {
  beforeAll(async () => {
    lab = await Lab.build(
      defineTopology({
        name: 'backup-watch',
        switches: { sw: {} },
        hosts: {
          r1: {
            role: 'router',
            links: [{ switch: 'sw', address: '10.99.0.11/24' }],
            vrrp: [{ vrid: 51, vips: ['10.99.0.254/24'] }],
          },
          r2: {
            role: 'router',
            links: [{ switch: 'sw', address: '10.99.0.12/24' }],
            vrrp: [{ vrid: 51, vips: ['10.99.0.254/24'] }],
          },
        },
      }),
    );
    dir = join(lab.dir, 'backup-watch');
    await mkdir(dir, { recursive: true });
    for (const h of hosts) await writeFile(join(dir, `${h}.weight`), '0\n');
    await start('r1', 150);
    await until('r1 MASTER', async () => (await instance('r1')).state === 'MASTER');
    await start('r2', 100);
    await until('r2 BACKUP', async () => (await instance('r2')).state === 'BACKUP');
  });

  afterAll(async () => {
    for (const pid of Object.values(pids)) if (pid && existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGTERM');
    await lab?.destroy();
  });

  it('counts every advert it heard, the ones the addon took included, and shows a running Master_Down', async () => {
    const [m0, b0] = [await instance('r1'), await instance('r2')];
    await until(
      '20 more adverts',
      async () => (await instance('r1')).counters.advertsSent >= m0.counters.advertsSent + 20,
    );
    const [m1, b1] = [await instance('r1'), await instance('r2')];
    const sent = m1.counters.advertsSent - m0.counters.advertsSent;
    const heard = b1.counters.advertsReceived - b0.counters.advertsReceived;
    // The two status reads of each side are a few ms apart: within two adverts.
    expect(Math.abs(heard - sent)).toBeLessThanOrEqual(2);
    expect(b1.state).toBe('BACKUP');
    expect(b1.timers.masterDownInMs).not.toBeNull();
    expect(b1.timers.masterDownInMs!).toBeLessThanOrEqual(MDI_MS);
    expect(b1.master).toEqual({ address: '10.99.0.11', priority: 150 });
  });

  it('a priority raised above the Master by track_file preempts; lowered again, the Master preempts back', async () => {
    await writeFile(join(dir, 'r2.weight'), '60\n');
    await until('r2 MASTER at 160', async () => {
      const i = await instance('r2');
      return i.state === 'MASTER' && i.effectivePriority === 160;
    });
    await until('r1 BACKUP', async () => (await instance('r1')).state === 'BACKUP');
    await writeFile(join(dir, 'r2.weight'), '0\n');
    await until('r1 MASTER again', async () => (await instance('r1')).state === 'MASTER');
    await until('r2 BACKUP again', async () => (await instance('r2')).state === 'BACKUP');
  });

  it('a Master gone silent is replaced one Master_Down_Interval after its last advert', async () => {
    const capture = await captureAdverts(lab.host('r2').netns, 'eth0');
    try {
      // Let the Backup settle on the repeats of r1's adverts, then silence r1 without a priority-0 advert.
      await until('r1 heard for 0.5 s', async () => capture.adverts.filter((a) => a.src === '10.99.0.11').length >= 5);
      process.kill(pids.r1!, 'SIGKILL');
      await until('r2 MASTER', async () => (await instance('r2')).state === 'MASTER');
      await until('r2 advertises', async () => capture.adverts.some((a) => a.src === '10.99.0.12'));
      const lastOfR1 = capture.adverts.filter((a) => a.src === '10.99.0.11').at(-1)!.atMs;
      const firstOfR2 = capture.adverts.find((a) => a.src === '10.99.0.12')!.atMs;
      // Never before Master_Down_Interval; generous after it (shared machine).
      expect(firstOfR2 - lastOfR1).toBeGreaterThanOrEqual(MDI_MS - 1);
      expect(firstOfR2 - lastOfR1).toBeLessThan(MDI_MS + 300);
    } finally {
      capture.stop();
    }
    expect(await readFile(join(dir, 'r2.log'), 'utf8')).toContain('master down timer expired');
  });

  it('a reload that replaces the instance closes its ticker and watch at once, not at a later GC', async () => {
    const timerfds = async () => {
      const fds = await readdir(`/proc/${pids.r2}/fd`);
      const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pids.r2}/fd/${fd}`).catch(() => '')));
      return links.filter((l) => l === 'anon_inode:[timerfd]').length;
    };
    // r2 has been Backup (watch) and Master (ticker): both opened, next to the daemon's one deadline timer.
    expect(await timerfds()).toBe(3);
    await writeFile(join(dir, 'r2.conf'), config('r2', 100).replace('VI_1', 'VI_2').replace('id 51', 'id 52'));
    process.kill(pids.r2!, 'SIGHUP');
    await until(
      'VI_2 MASTER',
      async () => (await instance('r2')).name === 'VI_2' && (await instance('r2')).state === 'MASTER',
    );
    // VI_1's two are gone; VI_2 (Master, never Backup to a peer) has its ticker only.
    expect(await timerfds()).toBe(2);
  });
});
