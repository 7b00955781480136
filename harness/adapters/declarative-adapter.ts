import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PlatformError } from '../../src/util/errors.js';
import { waitFor } from '../lab/wait-for.js';
import { readProcStat } from '../platform/procfs.js';
import type { DeclarativeAdapterSpec } from './declarative-schema.js';
import { declaredProblems } from './instance-settings.js';
import { writeKeepalivedConf } from './keepalived-conf.js';
import { type LabAdapter, toLabAdapter } from './lab-adapter.js';
import { expandPlaceholders, placeholderValues } from './placeholders.js';
import { freezeAll, isAlive, logTail, procState, signal, thawAll, waitExit } from './proc.js';
import { processTree } from './process-tree.js';
import { parseReportedStates, unknownStates } from './reported-state.js';
import { protocolProblems } from './settings-checks.js';
import { recordSignal } from './signal-log.js';
import type { AdapterHost } from './types.js';

/**
 * The adapter an adapter file describes: vrrp-lab renders keepalived.conf, starts `start` in the
 * foreground inside the host, stops it with `stop`, and crashes, freezes and thaws the process and
 * everything it forked. VIP holders and packets are observed from outside, as for every implementation.
 */

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

export function declarativeFiles(spec: Pick<DeclarativeAdapterSpec, 'name'>, host: Pick<AdapterHost, 'dir'>) {
  return {
    /** `{config}`: keepalived.conf, the name most daemons that read it expect. */
    config: join(host.dir, 'keepalived.conf'),
    /** stdout and stderr of `start`. */
    log: join(host.dir, `${spec.name}.log`),
    /** The started process: pid and start time, so a recycled pid is never mistaken for it. */
    process: join(host.dir, `${spec.name}.process.json`),
  };
}

interface StartedProcess {
  pid: number;
  startTime: number;
}

/** The started process if it still runs (same pid AND same start time). */
async function liveProcess(path: string): Promise<number | undefined> {
  let rec: StartedProcess;
  try {
    rec = JSON.parse(await readFile(path, 'utf8')) as StartedProcess;
  } catch {
    return undefined;
  }
  const st = await readProcStat(rec.pid);
  if (!st || st.state === 'Z' || st.state === 'X' || st.startTime !== rec.startTime) return undefined;
  return rec.pid;
}

/** argv[0] of a process: `ip netns exec` (or the container agent) execs the command in place. */
function argv0(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
  } catch {
    return undefined;
  }
}

export function declarativeAdapter(spec: DeclarativeAdapterSpec, source?: string): LabAdapter {
  const files = (host: AdapterHost) => declarativeFiles(spec, host);
  const expand = (host: AdapterHost, words: readonly string[]) => {
    const values = placeholderValues(host, files(host).config);
    return words.map((w) => expandPlaceholders(w, values));
  };
  const env = (host: AdapterHost) =>
    Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, expand(host, [v])[0] ?? '']));

  /** Crash: stop the whole tree first (a parent must not respawn a child), then SIGKILL all of it. */
  async function crash(host: AdapterHost, pid: number): Promise<void> {
    const tree = await processTree(pid);
    await freezeAll(tree);
    const all = [...new Set([...tree, ...(await processTree(pid))])];
    for (const p of all) signal(p, 'SIGKILL');
    for (const p of all) await waitExit(p, STOP_TIMEOUT_MS, `${spec.name} on ${host.name} after SIGKILL`);
    await rm(files(host).process, { force: true });
  }

  // What can be checked before a run: programs named without placeholders.
  const programs = [spec.start[0], spec.state?.[0]].filter((p): p is string => p !== undefined && !p.includes('{'));
  const adapter = toLabAdapter(
    {
      name: spec.name,
      unsupportedSettings: spec.unsupported,

      unsupported(host) {
        return [...protocolProblems(host), ...declaredProblems(spec.name, host.instances, spec.unsupported)];
      },

      async render(host) {
        return writeKeepalivedConf(host, files(host).config);
      },

      async start(host) {
        const f = files(host);
        const already = await liveProcess(f.process);
        if (already !== undefined)
          throw new PlatformError(`${spec.name} already runs on ${host.name} (pid ${already})`);
        const [cmd = '', ...args] = expand(host, spec.start);
        // A relative ready file is in the host's directory.
        const ready = spec.ready === undefined ? undefined : resolve(host.dir, expand(host, [spec.ready])[0] ?? '');
        if (ready !== undefined) await rm(ready, { force: true });
        const { pid } = await host.spawn(cmd, args, { logFile: f.log, env: env(host) });
        const st = await readProcStat(pid);
        if (st) await writeFile(f.process, `${JSON.stringify({ pid, startTime: st.startTime })}\n`);
        // Running = the `ready` file exists, or (without one) the command was exec'd in place of the
        // launcher; either way the process must still be alive.
        const running = async () => (ready === undefined ? argv0(pid) === cmd : existsSync(ready));
        const outcome = await waitFor(async () => (!isAlive(pid) ? 'exited' : (await running()) && 'running'), {
          description: `${spec.name} on ${host.name} to start${ready === undefined ? '' : ` (${ready})`}`,
          timeoutMs: START_TIMEOUT_MS,
          intervalMs: 5,
        });
        if (outcome === 'exited' || !st) {
          await rm(f.process, { force: true });
          throw new PlatformError(`${spec.name} on ${host.name} exited at startup:\n${await logTail(f.log)}`);
        }
      },

      async stop(host) {
        const pid = await liveProcess(files(host).process);
        if (pid === undefined) return;
        recordSignal(host, spec.name, 'stop');
        const tree = await processTree(pid);
        // A frozen tree would keep the stop signal pending: let every process run its shutdown path.
        await thawAll(tree.filter((p) => procState(p) === 'T'));
        signal(pid, spec.stop);
        try {
          for (const p of tree) await waitExit(p, STOP_TIMEOUT_MS, `${spec.name} on ${host.name} after ${spec.stop}`);
          await rm(files(host).process, { force: true });
        } catch (err) {
          await crash(host, pid);
          throw err;
        }
      },

      async kill(host) {
        const pid = await liveProcess(files(host).process);
        if (pid === undefined) return;
        recordSignal(host, spec.name, 'kill');
        await crash(host, pid);
      },

      async freeze(host) {
        const pid = await liveProcess(files(host).process);
        recordSignal(host, spec.name, 'freeze');
        if (pid !== undefined) await freezeAll(await processTree(pid));
      },

      async thaw(host) {
        const pid = await liveProcess(files(host).process);
        recordSignal(host, spec.name, 'thaw');
        if (pid !== undefined) await thawAll(await processTree(pid));
      },

      async state(host) {
        const pid = await liveProcess(files(host).process);
        // Without a state command, or not running, or frozen: nothing can answer.
        if (!spec.state || pid === undefined || procState(pid) === 'T') return unknownStates(host);
        const [cmd = '', ...args] = expand(host, spec.state);
        const { stdout } = await host.exec(cmd, args, { env: env(host) });
        return parseReportedStates(host, stdout);
      },
    },
    source,
  );
  return Object.assign(adapter, { programs });
}
