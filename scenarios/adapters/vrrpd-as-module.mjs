// An adapter module: vrrp-lab's own vrrpd driven through the adapter interface from plain JavaScript,
// as a daemon vrrp-lab knows nothing about would be (after `npm run build`):
//   vrrp-lab drill --impl scenarios/adapters/vrrpd-as-module.mjs
// Its results must equal those of the built-in `--impl vrrpd` (test/integration/adapters/adapter-files.test.ts).
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeKeepalivedConf } from '../../dist/harness/adapters/public-types.js';

const VRRPD = fileURLToPath(new URL('../../dist/src/cli/vrrpd.js', import.meta.url));

/** @param {import('../../dist/harness/adapters/public-types.js').AdapterHost} host */
const files = (host) => ({
  conf: join(host.dir, 'module.conf'),
  pid: join(host.dir, 'module.pid'),
  socket: join(host.dir, 'module.sock'),
  log: join(host.dir, 'module.log'),
});

/** One-letter process state from /proc (R, S, T = stopped, Z = zombie...), undefined when gone. */
function procState(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie (kill -0 succeeds on zombies). */
const alive = (pid) => !['Z', 'X', undefined].includes(procState(pid));

async function pidOf(host) {
  const pid = Number.parseInt(await readFile(files(host).pid, 'utf8').catch(() => ''), 10);
  return Number.isInteger(pid) && alive(pid) ? pid : undefined;
}

/** Poll a condition (never a fixed sleep). */
async function until(cond, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const STATES = new Set(['INIT', 'BACKUP', 'MASTER', 'FAULT']);

/** @type {import('../../dist/harness/adapters/public-types.js').AdapterModule} */
export default {
  name: 'vrrpd-module',
  unsupportedSettings: ['vmac', 'accept_mode'],
  unsupported: () => [],
  render: (host) => writeKeepalivedConf(host, files(host).conf),

  async start(host) {
    const f = files(host);
    await rm(f.pid, { force: true });
    await rm(f.socket, { force: true });
    const { pid } = await host.spawn(
      process.execPath,
      [VRRPD, '-f', f.conf, '-n', '-l', '-p', f.pid, '--control-socket', f.socket],
      { logFile: f.log },
    );
    await until(async () => !alive(pid) || (await pidOf(host)) !== undefined, `vrrpd on ${host.name}`);
    if (!alive(pid)) throw new Error(`vrrpd on ${host.name} exited at startup (see ${f.log})`);
  },

  async stop(host) {
    const pid = await pidOf(host);
    if (pid === undefined) return;
    process.kill(pid, 'SIGTERM');
    process.kill(pid, 'SIGCONT');
    await until(() => !alive(pid), `vrrpd on ${host.name} to exit`);
  },

  async kill(host) {
    const pid = await pidOf(host);
    if (pid === undefined) return;
    process.kill(pid, 'SIGKILL');
    await until(() => !alive(pid), `vrrpd on ${host.name} to die`);
    await rm(files(host).pid, { force: true });
  },

  async freeze(host) {
    const pid = await pidOf(host);
    if (pid === undefined) return;
    process.kill(pid, 'SIGSTOP');
    // SIGSTOP takes effect asynchronously: resolve once it has.
    await until(() => procState(pid) === 'T', `vrrpd on ${host.name} to stop`);
  },

  async thaw(host) {
    const pid = await pidOf(host);
    if (pid === undefined) return;
    process.kill(pid, 'SIGCONT');
    await until(() => procState(pid) !== 'T', `vrrpd on ${host.name} to continue`);
  },

  async state(host) {
    const unknown = host.instances.map((i) => ({ instance: i.name, vrid: i.vrid, state: 'UNKNOWN' }));
    // Not running, or frozen (the status request would hang): nothing to ask.
    const pid = await pidOf(host);
    if (pid === undefined || procState(pid) === 'T') return unknown;
    const args = [VRRPD, 'status', '--json', '--control-socket', files(host).socket];
    const { stdout } = await host.exec(process.execPath, args);
    return JSON.parse(stdout).instances.map((i) => ({
      instance: i.name,
      vrid: i.vrid,
      state: STATES.has(i.state) ? i.state : 'UNKNOWN',
    }));
  },
};
