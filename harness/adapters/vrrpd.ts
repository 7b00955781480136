import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstanceStatus } from '../../src/runtime/status.js';
import { PlatformError } from '../../src/util/errors.js';
import { packageRoot } from '../../src/util/package-info.js';
import { waitFor } from '../lab/wait-for.js';
import { writeKeepalivedConf } from './keepalived-conf.js';
import type { LabAdapter } from './lab-adapter.js';
import {
  freezeAll,
  isAlive,
  livePidFromFile,
  logTail,
  procState,
  removeStalePidFiles,
  signal,
  terminate,
  thawAll,
  waitExit,
} from './proc.js';
import { unknownStates } from './reported-state.js';
import { protocolProblems } from './settings-checks.js';
import { recordSignal } from './signal-log.js';
import { cleanupStaleVips } from './stale-vips.js';
import type { AdapterHost, ReportedInstanceState } from './types.js';

/** Our daemon (dist/vrrpd.cjs, the package's `vrrpd` command), configured with the same keepalived.conf the keepalived adapter renders. */

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const MAX_SOCKET_PATH = 107;

export function vrrpdCliPath(): string {
  return join(packageRoot(), 'dist', 'vrrpd.cjs');
}

export function vrrpdFiles(host: AdapterHost) {
  const f = (name: string) => join(host.dir, name);
  return { conf: f('vrrpd.conf'), pid: f('vrrpd.pid'), socket: f('vrrpd.sock'), log: f('vrrpd.log') };
}

/** What we read of `vrrpd status --json` (src/runtime/status.ts); every field optional: it is parsed input. */
interface StatusJson {
  instances?: Array<Partial<Pick<InstanceStatus, 'name' | 'vrid' | 'effectivePriority'>> & { state?: string }>;
}

const STATES = new Set(['INIT', 'BACKUP', 'MASTER', 'FAULT']);

/** Map `vrrpd status --json` output onto ReportedInstanceState. */
export function mapVrrpdStatus(json: string): ReportedInstanceState[] {
  const status = JSON.parse(json) as StatusJson;
  return (status.instances ?? []).map((i) => ({
    instance: i.name ?? '?',
    vrid: i.vrid ?? 0,
    state: STATES.has(i.state ?? '') ? (i.state as ReportedInstanceState['state']) : 'UNKNOWN',
    ...(i.effectivePriority === undefined ? {} : { effectivePriority: i.effectivePriority }),
  }));
}

export const vrrpdAdapter: LabAdapter = {
  name: 'vrrpd',
  // Every setting of the vocabulary: VMAC and accept mode landed with issue 9.
  unsupportedSettings: [],

  unsupported(host) {
    return protocolProblems(host);
  },

  differences() {
    return [];
  },

  async render(host) {
    return writeKeepalivedConf(host, vrrpdFiles(host).conf);
  },

  async start(host) {
    const f = vrrpdFiles(host);
    if (Buffer.byteLength(f.socket) > MAX_SOCKET_PATH) {
      throw new PlatformError(`vrrpd control socket path too long for a unix socket: ${f.socket}`);
    }
    const running = await livePidFromFile(f.pid);
    if (running !== undefined) throw new PlatformError(`vrrpd already runs on ${host.name} (pid ${running})`);
    await removeStalePidFiles([f.pid]);
    await rm(f.socket, { force: true });
    const { pid } = await host.spawn(
      process.execPath,
      [vrrpdCliPath(), '-f', f.conf, '-n', '-l', '--log-format', 'json', '-p', f.pid, '--control-socket', f.socket],
      { logFile: f.log },
    );
    // Running = pid file written and the control socket exists (state() needs it).
    const outcome = await waitFor(
      async () =>
        (await livePidFromFile(f.pid)) !== undefined && existsSync(f.socket) ? 'running' : !isAlive(pid) && 'exited',
      { description: `vrrpd on ${host.name}`, timeoutMs: START_TIMEOUT_MS },
    );
    if (outcome === 'exited')
      throw new PlatformError(`vrrpd on ${host.name} exited at startup:\n${await logTail(f.log)}`);
  },

  async stop(host) {
    const pid = await livePidFromFile(vrrpdFiles(host).pid);
    if (pid === undefined) return;
    recordSignal(host, 'vrrpd', 'stop');
    // SIGTERM: the daemon sends priority 0, removes its VIPs and exits 0.
    terminate(pid);
    await waitExit(pid, STOP_TIMEOUT_MS, `vrrpd on ${host.name} after SIGTERM`);
  },

  async kill(host) {
    const f = vrrpdFiles(host);
    const pid = await livePidFromFile(f.pid);
    if (pid === undefined) return;
    recordSignal(host, 'vrrpd', 'kill');
    signal(pid, 'SIGKILL');
    await waitExit(pid, STOP_TIMEOUT_MS, `vrrpd on ${host.name} after SIGKILL`);
    await removeStalePidFiles([f.pid]);
  },

  async freeze(host) {
    const pid = await livePidFromFile(vrrpdFiles(host).pid);
    recordSignal(host, 'vrrpd', 'freeze');
    await freezeAll([pid]);
  },

  async thaw(host) {
    const pid = await livePidFromFile(vrrpdFiles(host).pid);
    recordSignal(host, 'vrrpd', 'thaw');
    await thawAll([pid]);
  },

  async state(host) {
    const f = vrrpdFiles(host);
    const pid = await livePidFromFile(f.pid);
    // Not running or frozen: the status command would fail or hang on the socket.
    if (pid === undefined || procState(pid) === 'T') return unknownStates(host);
    const { stdout } = await host.exec(process.execPath, [
      vrrpdCliPath(),
      'status',
      '--json',
      '--control-socket',
      f.socket,
    ]);
    return mapVrrpdStatus(stdout);
  },

  cleanupStale(host) {
    return cleanupStaleVips(host).then(() => undefined);
  },
};
