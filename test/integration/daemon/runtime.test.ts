import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import { defineTopology, Lab, waitFor } from '../../../harness/lab/index.js';
import type { DaemonStatus, InstanceStatus } from '../../../src/runtime/status.js';

/**
 * The daemon's runtime features on a real namespace (issue 3, "Daemon behaviour"): status over the
 * control socket, SIGUSR1 dump, SIGHUP reload (unchanged Master untouched, bad config rejected),
 * track_file, track_interface, notify scripts, notify_fifo, sync groups, and scripts run as an
 * unprivileged user. One router, configured by hand with keywords the neutral settings don't cover.
 */

const built = existsSync(vrrpdCliPath());

let lab: Lab;
let dir: string;
let pid: number;
const sock = () => join(dir, 'vrrpd.sock');

async function status(): Promise<DaemonStatus> {
  const { stdout } = await lab
    .host('r1')
    .exec(process.execPath, [vrrpdCliPath(), 'status', '--json', '--control-socket', sock()]);
  return JSON.parse(stdout) as DaemonStatus;
}

async function instance(name: string): Promise<InstanceStatus> {
  const i = (await status()).instances.find((x) => x.name === name);
  if (!i) throw new Error(`no instance ${name}`);
  return i;
}

async function until(what: string, pred: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => pred().catch(() => false), {
    timeoutMs,
    intervalMs: 50,
    description: what,
  });
}

function config(extra = ''): string {
  return `
global_defs {
  router_id r1
  notify_fifo ${dir}/notify.fifo
}
vrrp_script chk_whoami {
  script "${dir}/whoami.sh"
  interval 1
}
track_file weight_file {
  file "${dir}/weight"
  weight 10
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority 200
  version 3
  advert_int 0.1
  track_file {
    weight_file
  }
  track_interface {
    eth1
  }
  track_script {
    chk_whoami
  }
  notify_master "${dir}/notify.sh master"
  notify_backup "${dir}/notify.sh backup"
  notify_fault "${dir}/notify.sh fault"
  virtual_ipaddress {
    10.99.0.254/24
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 52
  priority 100
  version 3
  advert_int 0.1
  virtual_ipaddress {
    10.99.0.253/24
  }
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
  # keepalived drops a member's weighted track_file unless the group keeps tracking weights.
  sync_group_tracking_weight
}
${extra}`;
}

describe.skipIf(!built)('vrrpd runtime on a namespace', () => {
  const fifoLines: string[] = [];
  let fifo: ReturnType<typeof createReadStream> | undefined;

  beforeAll(async () => {
    lab = await Lab.build(
      defineTopology({
        name: 'runtime',
        switches: { sw: {}, sw2: {} },
        hosts: {
          r1: {
            role: 'router',
            links: [
              { switch: 'sw', address: '10.99.0.11/24' },
              { switch: 'sw2', address: '10.98.0.11/24' },
            ],
            vrrp: [{ vrid: 51, vips: ['10.99.0.254/24'] }],
          },
        },
      }),
    );
    dir = join(lab.dir, 'runtime');
    await mkdir(dir, { recursive: true });
    // Readable by the unprivileged script user.
    await chmod(lab.dir, 0o755);
    await chmod(dir, 0o777);
    await writeFile(join(dir, 'weight'), '0\n');
    await writeFile(join(dir, 'whoami.sh'), `#!/bin/sh\nid -un > ${dir}/script-user\n`, { mode: 0o755 });
    await writeFile(join(dir, 'notify.sh'), `#!/bin/sh\necho "$1" >> ${dir}/notify.log\n`, { mode: 0o755 });
    execFileSync('mkfifo', ['-m', '600', join(dir, 'notify.fifo')]);
    // Keep a reader on the FIFO so the daemon's non-blocking writes succeed.
    fifo = createReadStream(join(dir, 'notify.fifo'), { encoding: 'utf8' });
    fifo.on('data', (chunk) => fifoLines.push(...String(chunk).split('\n').filter(Boolean)));
    await writeFile(join(dir, 'vrrpd.conf'), config());
    pid = await lab.host('r1').spawn(
      process.execPath,
      [
        vrrpdCliPath(),
        '-f',
        join(dir, 'vrrpd.conf'),
        '-n',
        '--log-format',
        'json',
        '-p',
        join(dir, 'vrrpd.pid'),
        '--control-socket',
        sock(),
      ],
      // The SIGUSR1 dump goes to $TMPDIR: this run's own directory, not a /tmp shared with other runs.
      { logFile: join(dir, 'vrrpd.log'), env: { TMPDIR: dir } },
    );
    await until('VI_1 MASTER', async () => (await instance('VI_1')).state === 'MASTER').catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await readFile(join(dir, 'vrrpd.log'), 'utf8').catch(() => '(no log)')}`);
    });
  });

  afterAll(async () => {
    fifo?.destroy();
    if (pid) process.kill(pid, 'SIGTERM');
    await until(
      'vrrpd exited',
      async () => !existsSync(`/proc/${pid}`) || (await readFile(`/proc/${pid}/stat`, 'utf8')).includes(') Z'),
      15_000,
    ).catch(() => undefined);
    await lab?.destroy();
  });

  it('status --json reports state, priorities, timers and counters', async () => {
    expect((await status()).routerId).toBe('r1');
    const i = await instance('VI_1');
    expect(i).toMatchObject({ vrid: 51, version: 3, basePriority: 200, effectivePriority: 200, vipsInstalled: true });
    expect(i.counters.advertsSent).toBeGreaterThan(0);
    expect(i.counters.garpsSent).toBeGreaterThanOrEqual(5);
    expect(i.timers.adverInMs).not.toBeNull();
    expect(await lab.host('r1').hasLocalAddress('10.99.0.254')).toBe(true);
  });

  it('runs track scripts as the unprivileged default user', async () => {
    await until('the check script ran', async () => existsSync(join(dir, 'script-user')));
    expect((await readFile(join(dir, 'script-user'), 'utf8')).trim()).toBe('nobody');
  });

  it('runs notify scripts and writes notify_fifo lines on transitions', async () => {
    await until('notify_master ran', async () => (await readFile(join(dir, 'notify.log'), 'utf8')).includes('master'));
    await until('fifo line', async () => fifoLines.some((l) => l === 'INSTANCE "VI_1" MASTER 200'));
  });

  it('track_file: value × weight is added to the priority', async () => {
    await writeFile(join(dir, 'weight'), '-3\n');
    await until('priority 170', async () => (await instance('VI_1')).effectivePriority === 170);
    // On the wire too: the Master's steady adverts (sent by the addon, not the state machine) carry it.
    const { stdout } = await lab
      .host('r1')
      .exec('timeout', ['10', 'tcpdump', '-i', 'eth0', '-n', '-v', '-c', '2', 'ip proto 112 and ip[21] = 51']);
    expect(stdout.split('\n').filter((l) => l.includes('vrid 51'))).toEqual([
      expect.stringContaining('prio 170'),
      expect.stringContaining('prio 170'),
    ]);
    await writeFile(join(dir, 'weight'), '0\n');
    await until('priority 200', async () => (await instance('VI_1')).effectivePriority === 200);
  });

  it('track_interface down faults the instance and its sync group follows; up recovers both', async () => {
    await lab.host('r1').exec('ip', ['link', 'set', 'eth1', 'down']);
    await until('VI_1 FAULT', async () => (await instance('VI_1')).state === 'FAULT');
    await until('VI_2 follows into FAULT', async () => (await instance('VI_2')).state === 'FAULT');
    expect(await lab.host('r1').hasLocalAddress('10.99.0.254')).toBe(false);
    await until('notify_fault ran', async () => (await readFile(join(dir, 'notify.log'), 'utf8')).includes('fault'));
    await lab.host('r1').exec('ip', ['link', 'set', 'eth1', 'up']);
    await until('VI_1 MASTER again', async () => (await instance('VI_1')).state === 'MASTER');
    await until('VI_2 MASTER again', async () => (await instance('VI_2')).state === 'MASTER');
  });

  it('SIGUSR1 writes the data dump', async () => {
    const dump = join(dir, 'vrrpd.data');
    // A dump left by an earlier signal or run must not pass for this one.
    await rm(dump, { force: true });
    process.kill(pid, 'SIGUSR1');
    await until('data dump', async () => (await readFile(dump, 'utf8')).includes('VI_1: MASTER'));
  });

  it('SIGHUP: an unchanged Master stays Master, a changed instance restarts, a bad config is rejected', async () => {
    const before = await instance('VI_1');
    const changed = config().replace('virtual_router_id 52\n  priority 100', 'virtual_router_id 52\n  priority 120');
    await writeFile(join(dir, 'vrrpd.conf'), changed);
    process.kill(pid, 'SIGHUP');
    await until('VI_2 reloaded with priority 120', async () => (await instance('VI_2')).basePriority === 120);
    const after = await instance('VI_1');
    expect(after.state).toBe('MASTER');
    expect(after.counters.transitions).toBe(before.counters.transitions);

    await writeFile(join(dir, 'vrrpd.conf'), changed.replace('priority 200', 'priority 999'));
    process.kill(pid, 'SIGHUP');
    await until('reload rejected in the log', async () =>
      (await readFile(join(dir, 'vrrpd.log'), 'utf8')).includes('reload rejected'),
    );
    expect((await instance('VI_1')).basePriority).toBe(200);
    expect((await instance('VI_1')).state).toBe('MASTER');
  });
});
