import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '../../lab/wait-for.js';
import { childPids, isAlive, signal } from '../../platform/procfs.js';
import { run } from '../../platform/run.js';
import { parseIp } from '../../topology/cidr.js';

export interface NginxHostInfo {
  host: string;
  netns: string;
  /** Root of this host's nginx files (config, pid, temp, logs, the fail flag). */
  dir: string;
  /** The host's own address (no prefix) the health check targets. */
  address: string;
  /** VIPs this host may hold: nginx listens on them too (ip_nonlocal_bind lets it bind before holding). */
  vips: string[];
  anchorPid: number;
  /** Start a tagged, recorded long-running process in the host (the lab's spawn). */
  spawn(cmd: string, args: string[], logFile: string): Promise<number>;
}

const START_TIMEOUT_MS = 10_000;

function listenTarget(addr: string): string {
  return parseIp(addr)?.family === 6 ? `[${addr}]:80` : `${addr}:80`;
}

/** `curl -fsS -m 1 http://ADDR/health` for this host: exit 0 = healthy (substituted for {{nginxCheck}}). */
export function nginxCheckCommand(address: string): string {
  const host = parseIp(address)?.family === 6 ? `[${address}]` : address;
  return `curl -fsS -m 1 -o /dev/null http://${host}/health`;
}

export function renderNginxConf(info: NginxHostInfo): string {
  const d = info.dir;
  const listens = [info.address, ...info.vips].map((a) => `    listen ${listenTarget(a)};`);
  return `# vrrp-lab nginx for ${info.host}; every path inside the run directory.
# Workers as root: run directories may be private (0700, e.g. mkdtemp), and nobody could not stat
# the fail flag there. This nginx only ever serves inside a lab namespace.
user root;
worker_processes 1;
daemon off;
pid ${d}/nginx.pid;
error_log ${d}/error.log notice;
events { worker_connections 64; }
http {
  access_log ${d}/access.log;
  client_body_temp_path ${d}/tmp/client;
  proxy_temp_path ${d}/tmp/proxy;
  fastcgi_temp_path ${d}/tmp/fastcgi;
  uwsgi_temp_path ${d}/tmp/uwsgi;
  scgi_temp_path ${d}/tmp/scgi;
  server {
${listens.join('\n')}
    default_type text/plain;
    # failHealth() creates this file; the check is evaluated per request (no open_file_cache).
    location = /health {
      if (-f ${d}/fail) { return 503 "unhealthy ${info.host}\\n"; }
      return 200 "ok ${info.host}\\n";
    }
    location / { return 200 "${info.host}\\n"; }
  }
}
`;
}

/** The nginx of one host: start/kill/stop and a switch that makes /health fail. */
export class NginxHandle {
  private masterPid: number | undefined;

  constructor(readonly info: NginxHostInfo) {}

  get pid(): number | undefined {
    return this.masterPid;
  }

  /** The health-check command for this host's track scripts. */
  get checkCommand(): string {
    return nginxCheckCommand(this.info.address);
  }

  get confPath(): string {
    return join(this.info.dir, 'nginx.conf');
  }

  /** Start (or restart after kill()) and wait until it listens on port 80 in the host namespace. */
  async start(): Promise<void> {
    if (this.masterPid !== undefined && (await isAlive(this.masterPid))) return;
    await mkdir(join(this.info.dir, 'tmp'), { recursive: true });
    await writeFile(this.confPath, renderNginxConf(this.info));
    // Binding the VIPs before this host holds them needs non-local bind (a per-namespace sysctl).
    await run('sysctl', ['-qw', 'net.ipv4.ip_nonlocal_bind=1', 'net.ipv6.ip_nonlocal_bind=1'], {
      netns: this.info.netns,
    });
    const errorLog = join(this.info.dir, 'error.log');
    this.masterPid = await this.info.spawn(
      'nginx',
      ['-e', errorLog, '-c', this.confPath],
      join(this.info.dir, 'stdout.log'),
    );
    const pid = this.masterPid;
    try {
      await waitFor(async () => (await isAlive(pid)) && (await this.listening()), {
        timeoutMs: START_TIMEOUT_MS,
        intervalMs: 10,
        description: `nginx in ${this.info.host} to listen on ${this.info.address}:80`,
      });
    } catch (err) {
      const tail = await readFile(errorLog, 'utf8').catch(() => '');
      throw new Error(`${(err as Error).message}\n${tail.split('\n').slice(-5).join('\n')}`, { cause: err });
    }
  }

  /**
   * Whether something listens on TCP port 80 in the host namespace: read from the anchor's
   * /proc/<pid>/net/tcp{,6} (per-namespace views) without forking into the namespace.
   */
  async listening(): Promise<boolean> {
    for (const f of ['tcp', 'tcp6']) {
      const text = await readFile(`/proc/${this.info.anchorPid}/net/${f}`, 'utf8').catch(() => '');
      // columns: sl local_address rem_address st ...; st 0A = LISTEN, port 80 = 0050
      if (/^\s*\d+: [0-9A-F]+:0050 [0-9A-F]+:0000 0A /m.test(text)) return true;
    }
    return false;
  }

  /** Make /health answer 503 (the check then exits non-zero) while nginx keeps running. */
  async failHealth(): Promise<void> {
    await writeFile(join(this.info.dir, 'fail'), 'fail\n');
  }

  async recoverHealth(): Promise<void> {
    await rm(join(this.info.dir, 'fail'), { force: true });
  }

  /** Crash: SIGKILL the master AND its workers, which otherwise keep serving (docs/quirks.md Q15). */
  async kill(): Promise<void> {
    const pid = this.masterPid;
    if (pid === undefined) return;
    const workers = await childPids(pid);
    signal(pid, 'SIGKILL');
    for (const w of workers) signal(w, 'SIGKILL');
    await this.waitGone([pid, ...workers]);
    this.masterPid = undefined;
  }

  /** Graceful stop (SIGQUIT: finish requests, workers exit with the master). */
  async stop(): Promise<void> {
    const pid = this.masterPid;
    if (pid === undefined) return;
    const workers = await childPids(pid);
    signal(pid, 'SIGQUIT');
    await this.waitGone([pid, ...workers]);
    this.masterPid = undefined;
  }

  private async waitGone(pids: number[]): Promise<void> {
    await waitFor(async () => (await Promise.all(pids.map((p) => isAlive(p)))).every((a) => !a), {
      timeoutMs: START_TIMEOUT_MS,
      intervalMs: 10,
      description: `nginx processes ${pids.join(',')} in ${this.info.host} to exit`,
    });
  }
}
