import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import { defineTopology, Lab, waitFor } from '../../../harness/lab/index.js';
import type { DaemonStatus, InstanceStatus } from '../../../src/runtime/status.js';

/**
 * Routers on one switch (10.99.0.1N/24 on eth0), with no implementation started: each test writes a
 * keepalived.conf by hand and runs vrrpd or keepalived 2.2.7 on it, so the same file can be compared
 * under both daemons.
 */
export const vrrpdBuilt = existsSync(vrrpdCliPath());

export async function buildLab(name: string, hosts: string[], extraSwitch = false): Promise<Lab> {
  const routers: Record<
    string,
    { role: 'router'; links: { switch: string; address: string }[]; vrrp: { vrid: number; vips: string[] }[] }
  > = {};
  for (const [i, h] of hosts.entries()) {
    const links = [{ switch: 'sw', address: `10.99.0.1${i + 1}/24` }];
    if (extraSwitch) links.push({ switch: 'sw2', address: `10.98.0.1${i + 1}/24` });
    // The topology schema wants a VRRP instance per router; it is never started here.
    routers[h] = { role: 'router', links, vrrp: [{ vrid: 1, vips: ['10.99.0.249/24'] }] };
  }
  const lab = await Lab.build(
    defineTopology({ name, switches: extraSwitch ? { sw: {}, sw2: {} } : { sw: {} }, hosts: routers }),
  );
  // Readable by unprivileged script users.
  await chmod(lab.dir, 0o755);
  return lab;
}

/** A per-host scratch directory every user can write (notify scripts run unprivileged). */
export async function scratch(lab: Lab, host: string, tag = ''): Promise<string> {
  const dir = join(lab.dir, `kw-${host}${tag ? `-${tag}` : ''}`);
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o777);
  return dir;
}

export interface Daemon {
  pid: number;
  log(): Promise<string>;
}

export interface Vrrpd extends Daemon {
  status(): Promise<DaemonStatus>;
  instance(name: string): Promise<InstanceStatus>;
}

export async function startVrrpd(lab: Lab, host: string, conf: string, tag = 'vrrpd'): Promise<Vrrpd> {
  const dir = await scratch(lab, host, tag);
  const sock = join(dir, 'vrrpd.sock');
  const logFile = join(dir, 'vrrpd.log');
  await writeFile(join(dir, 'vrrpd.conf'), conf);
  const pid = await lab.host(host).spawn(
    process.execPath,
    // The pid file in the scratch directory too: the default (/run/vrrpd) is shared by every test.
    [
      vrrpdCliPath(),
      '-f',
      join(dir, 'vrrpd.conf'),
      '-n',
      '-p',
      join(dir, 'vrrpd.pid'),
      '--log-format',
      'json',
      '--control-socket',
      sock,
    ],
    { logFile },
  );
  const status = async (): Promise<DaemonStatus> => {
    const { stdout } = await lab
      .host(host)
      .exec(process.execPath, [vrrpdCliPath(), 'status', '--json', '--control-socket', sock]);
    return JSON.parse(stdout) as DaemonStatus;
  };
  const log = () => readFile(logFile, 'utf8').catch(() => '');
  const instance = async (name: string) => {
    const i = (await status()).instances.find((x) => x.name === name);
    if (!i) throw new Error(`no instance ${name}`);
    return i;
  };
  await until('vrrpd answers status', async () => (await status()).pid > 0).catch(async (e: Error) => {
    throw new Error(`${e.message}\n${await log()}`);
  });
  return { pid, status, instance, log };
}

export async function startKeepalived(lab: Lab, host: string, conf: string, tag = 'keepalived'): Promise<Daemon> {
  const dir = await scratch(lab, host, tag);
  const file = (n: string) => join(dir, n);
  await writeFile(file('keepalived.conf'), conf);
  const pid = await lab
    .host(host)
    .spawn(
      'keepalived',
      [
        '-n',
        '-l',
        '-D',
        '-P',
        '-f',
        file('keepalived.conf'),
        '-p',
        file('k.pid'),
        '-r',
        file('v.pid'),
        '-c',
        file('c.pid'),
        '-i',
        host,
      ],
      { logFile: file('keepalived.log'), env: { TMPDIR: dir } },
    );
  const log = () => readFile(file('keepalived.log'), 'utf8').catch(() => '');
  await until('keepalived VRRP child started', async () => existsSync(file('v.pid'))).catch(async (e: Error) => {
    throw new Error(`${e.message}\n${await log()}`);
  });
  return { pid, log };
}

/** SIGTERM and wait until the process is gone (or a zombie of its spawner). */
export async function stop(d: Daemon | undefined): Promise<void> {
  if (!d) return;
  try {
    process.kill(d.pid, 'SIGTERM');
  } catch {
    return;
  }
  await until(
    'daemon exited',
    async () => !existsSync(`/proc/${d.pid}`) || (await readFile(`/proc/${d.pid}/stat`, 'utf8')).includes(') Z'),
    15_000,
  ).catch(() => undefined);
}

export async function until(what: string, pred: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  await waitFor(() => pred().catch(() => false), { timeoutMs, intervalMs: 50, description: what });
}

/** Lines of a file that may not exist yet. */
export async function linesOf(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
}

/**
 * A scratch directory with the scripts a notify comparison needs: note.sh appends "USER ARGS" to notes.log
 * (writable by every script user), fifo-reader.sh appends "USER LINE" for each FIFO line to FIFO.out.
 */
export async function notifyProbe(lab: Lab, host: string, tag: string) {
  const dir = await scratch(lab, host, tag);
  await writeFile(join(dir, 'notes.log'), '');
  await chmod(join(dir, 'notes.log'), 0o666);
  await writeFile(join(dir, 'note.sh'), `#!/bin/sh\necho "$(id -un) $*" >> ${dir}/notes.log\n`, { mode: 0o755 });
  await writeFile(
    join(dir, 'fifo-reader.sh'),
    '#!/bin/sh\nwhile read -r line; do echo "$(id -un) $line" >> "$1.out"; done < "$1"\n',
    { mode: 0o755 },
  );
  return {
    dir,
    notes: () => linesOf(join(dir, 'notes.log')),
    fifo: (name: string) => linesOf(join(dir, `${name}.out`)),
    /** The FIFO readers exit at EOF, once the daemon has closed the FIFOs: then their output is complete. */
    readersExited: () =>
      until(
        'FIFO readers exited',
        async () => (await lab.host(host).execStatus('pgrep', ['-f', `${dir}/fifo-reader.sh`])).exitCode !== 0,
      ),
  };
}

/**
 * FIFO lines from the first MASTER line on, consecutive repeats collapsed (how many adverts arrive in
 * a handover is timing). Before it, keepalived 2.2.7 sees eth0 down for its first second in a fresh
 * namespace and reports FAULT, then BACKUP: a start-up artefact that is not compared.
 */
export function fromFirstMaster(lines: string[]): string[] {
  const from = lines.findIndex((l) => / MASTER \d+$/.test(l));
  const tail = from < 0 ? lines : lines.slice(from);
  return tail.filter((l, i) => l !== tail[i - 1]);
}

/**
 * Builds the lab once for the enclosing describe, runs `scenario` under keepalived (the reference) and then
 * under vrrpd, and destroys the lab afterwards. The results are read through the returned getters.
 */
export function underBoth<T>(
  name: string,
  hosts: string[],
  scenario: (lab: Lab, impl: 'keepalived' | 'vrrpd') => Promise<T>,
  extraSwitch = false,
): { keepalived: () => T; vrrpd: () => T } {
  let lab: Lab | undefined;
  const results: Partial<Record<'keepalived' | 'vrrpd', T>> = {};
  beforeAll(async () => {
    lab = await buildLab(name, hosts, extraSwitch);
    results.keepalived = await scenario(lab, 'keepalived');
    results.vrrpd = await scenario(lab, 'vrrpd');
  }, 180_000);
  afterAll(async () => {
    await lab?.destroy();
  });
  const get = (impl: 'keepalived' | 'vrrpd') => () => {
    const r = results[impl];
    if (r === undefined) throw new Error(`no ${impl} result`);
    return r;
  };
  return { keepalived: get('keepalived'), vrrpd: get('vrrpd') };
}

/** Rethrows a scenario failure with the daemon's log tail and what the probe saw, to debug without re-running. */
export async function explain(
  impl: string,
  e: unknown,
  dut: Daemon | undefined,
  probe: { notes(): Promise<string[]>; fifo(name: string): Promise<string[]> },
): Promise<never> {
  const log = (await dut?.log()) ?? '(stopped)';
  const seen = [...(await probe.notes()), '--- FIFO ---', ...(await probe.fifo('all.fifo'))].join('\n');
  throw new Error(`${impl}: ${(e as Error).message}\n--- log ---\n${log.slice(-3000)}\n--- seen ---\n${seen}`);
}
