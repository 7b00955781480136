import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import { defineTopology, Lab, waitFor } from '../../../harness/lab/index.js';

/**
 * keepalived's process knobs (vrrp_priority, vrrp_rt_priority, vrrp_rlimit_rttime, vrrp_no_swap,
 * vrrp_cpu_affinity): the same config under vrrpd and keepalived 2.2.7, and what the kernel reports for the
 * process that runs VRRP (vrrpd's event-loop thread, keepalived's VRRP child) in /proc/PID/{stat,status,sched,limits}.
 */

const built = existsSync(vrrpdCliPath());
const hasKeepalived = existsSync('/usr/sbin/keepalived');
// vrrp_cpu_affinity 1 needs a second CPU.
const twoCpus = availableParallelism() >= 2;

interface Observed {
  nice: number;
  rtPriority: number;
  policy: number;
  vmLckKiB: number;
  cpus: string;
  schedPolicy: number;
  rttimeLimit: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function observe(pid: number): Promise<Observed> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const sched = await readFile(`/proc/${pid}/sched`, 'utf8');
  const limits = await readFile(`/proc/${pid}/limits`, 'utf8');
  return {
    // stat fields 19, 40, 41 (1-based); f starts at field 3.
    nice: Number(f[16]),
    rtPriority: Number(f[37]),
    policy: Number(f[38]),
    vmLckKiB: Number(/VmLck:\s+(\d+)/.exec(status)?.[1]),
    cpus: /Cpus_allowed_list:\s+(\S+)/.exec(status)?.[1] ?? '',
    schedPolicy: Number(/^policy\s+:\s+(\d+)/m.exec(sched)?.[1]),
    rttimeLimit: /Max realtime timeout\s+(\S+\s+\S+)/.exec(limits)?.[1]?.replace(/\s+/, ' ') ?? '',
  };
}

const REALTIME = `
  vrrp_priority -5
  vrrp_rt_priority 10
  vrrp_rlimit_rttime 20000
  vrrp_no_swap
  vrrp_cpu_affinity 1`;

const config = (globals: string) => `
global_defs {
  router_id r1${globals}
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 200
  version 3
  advert_int 0.1
  virtual_ipaddress {
    10.99.0.254/24
  }
}
`;

describe.skipIf(!built || !hasKeepalived || !twoCpus)('keepalived process knobs, vrrpd next to keepalived', () => {
  let lab: Lab;
  let dir: string;

  beforeAll(async () => {
    lab = await Lab.build(
      defineTopology({
        name: 'knobs',
        switches: { sw: {} },
        hosts: {
          r1: {
            role: 'router',
            links: [{ switch: 'sw', address: '10.99.0.11/24' }],
            vrrp: [{ vrid: 51, vips: ['10.99.0.254/24'] }],
          },
        },
      }),
    );
    dir = join(lab.dir, 'knobs');
    await mkdir(dir, { recursive: true });
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  /** Runs `start`, waits for the VRRP process to hold the VIP (Master), observes it, stops it. */
  async function run(start: () => Promise<number>, vrrpPid: (spawned: number) => Promise<number>): Promise<Observed> {
    const host = lab.host('r1');
    const spawned = await start();
    try {
      await waitFor(() => host.hasLocalAddress('10.99.0.254'), {
        timeoutMs: 20_000,
        intervalMs: 50,
        description: 'r1 holds the VIP',
      });
      return await observe(await vrrpPid(spawned));
    } finally {
      process.kill(spawned, 'SIGTERM');
      // Gone, not only the VIP released: the next run must not meet this one's pid files or processes.
      await waitFor(async () => !alive(spawned) && !(await host.hasLocalAddress('10.99.0.254')), {
        timeoutMs: 20_000,
        intervalMs: 50,
        description: 'the daemon has exited and released the VIP',
      });
    }
  }

  /** The VRRP process of each implementation, observed while Master with `globals` in global_defs. */
  async function both(globals: string): Promise<{ vrrpd: Observed; keepalived: Observed }> {
    const host = lab.host('r1');
    const conf = join(dir, 'knobs.conf');
    await writeFile(conf, config(globals));
    const f = (name: string) => join(dir, name);
    const vrrpd = await run(
      () =>
        host.spawn(
          process.execPath,
          [vrrpdCliPath(), '-n', '-f', conf, '-p', f('vrrpd.pid'), '--control-socket', f('vrrpd.sock')],
          { logFile: f('vrrpd.log') },
        ),
      async (pid) => pid,
    );
    const keepalived = await run(
      () =>
        host.spawn(
          'keepalived',
          ['-n', '-l', '-P', '-f', conf, '-p', f('k.pid'), '-r', f('kv.pid'), '-c', f('kc.pid'), '-i', 'r1'],
          { logFile: f('keepalived.log') },
        ),
      async () => Number((await readFile(f('kv.pid'), 'utf8')).trim()),
    );
    return { vrrpd, keepalived };
  }

  it('vrrp_rt_priority, vrrp_rlimit_rttime, vrrp_no_swap, vrrp_cpu_affinity: SCHED_RR, RLIMIT_RTTIME, mlockall, CPU set', async () => {
    const { vrrpd, keepalived } = await both(REALTIME);
    const expected = {
      // With a real-time priority keepalived leaves the nice value alone.
      nice: 0,
      rtPriority: 10,
      policy: 2, // SCHED_RR
      schedPolicy: 2,
      cpus: '1',
      // soft = half the limit (SIGXCPU first), hard = the limit
      rttimeLimit: '10000 20000',
    };
    expect(keepalived).toMatchObject(expected);
    expect(vrrpd).toMatchObject(expected);
    expect(keepalived.vmLckKiB).toBeGreaterThan(0);
    expect(vrrpd.vmLckKiB).toBeGreaterThan(0);
  });

  it('vrrp_priority alone: the nice value, normal scheduling, nothing locked', async () => {
    const { vrrpd, keepalived } = await both('\n  vrrp_priority -5');
    const expected = { nice: -5, rtPriority: 0, policy: 0, schedPolicy: 0, vmLckKiB: 0 };
    expect(keepalived).toMatchObject(expected);
    expect(vrrpd).toMatchObject(expected);
  });
});
