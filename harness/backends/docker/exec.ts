import { readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { waitFor } from '../../lab/wait-for.js';

/**
 * The wrapper that starts a detached command: it records its own pid ($$, a root-namespace pid with
 * PidMode host), sends output to the log file, and execs the command in place, so the recorded pid is
 * the command's own.
 */
const SPAWN_WRAPPER = 'echo $$ >"$1.tmp" && mv "$1.tmp" "$1"; log=$2; shift 2; exec "$@" >>"$log" 2>&1 </dev/null';

/**
 * Start a long-running command in the container through the engine's exec API (it joins the container:
 * its mounts, capabilities and cgroup), detached from us. Containers share the host pid namespace
 * (PidMode host), so the pid returned is a root-namespace pid, as AdapterHost.spawn promises. `pidFile`
 * must be a path both the container and the host see (the run directory is bind-mounted at the same
 * path). Used once per container, for the exec agent (agent.ts) that then runs everything else.
 */
export async function spawnIn(
  container: Docker.Container,
  cmd: string,
  args: readonly string[],
  opts: { logFile: string; pidFile: string; env?: Record<string, string> },
): Promise<number> {
  const exec = await container.exec({
    Cmd: ['sh', '-c', SPAWN_WRAPPER, 'sh', opts.pidFile, opts.logFile, cmd, ...args],
    Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
  });
  await exec.start({ Detach: true });
  const r = await waitFor(
    async (): Promise<{ pid: number } | { exitCode: number } | undefined> => {
      const n = Number.parseInt(await readFile(opts.pidFile, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(n) && n > 0) return { pid: n };
      // The wrapper can die before writing (e.g. the pid file's directory is not mounted): stop waiting.
      const i = await exec.inspect();
      return !i.Running && i.ExitCode !== null ? { exitCode: i.ExitCode } : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 2, description: `${cmd} to start in ${container.id.slice(0, 12)}` },
  );
  if (!r || !('pid' in r)) {
    throw new Error(`${cmd} in ${container.id.slice(0, 12)}: start wrapper exited ${r?.exitCode}; see ${opts.logFile}`);
  }
  return r.pid;
}
