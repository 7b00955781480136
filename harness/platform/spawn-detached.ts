import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { PlatformError } from '../../src/util/errors.js';
import { netnsArgv } from './run.js';

export interface SpawnDetachedOptions {
  netns?: string;
  /** Environment added to ours; the run tag (VRRPLAB_RUN) goes here. */
  env: Record<string, string>;
  /** stdout+stderr are appended here; /dev/null when absent. */
  logFile?: string;
}

/**
 * What a lab process does not inherit from us. NODE_EXTRA_CA_CERTS (set by shells behind an HTTPS proxy)
 * makes Node read and parse the whole CA bundle before running any JavaScript: ~65 ms more start-up and
 * ~2 MiB more RSS for every Node daemon (vrrpd, the docker agent) measured here. Lab hosts never make TLS
 * connections (they only talk to each other), so no daemon in a lab needs it (docs/quirks.md Q54).
 */
export function labEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _caBundle, ...inherited } = process.env;
  return { ...inherited, ...extra };
}

/**
 * Start a long-running process that outlives us (own session, no pipes to us, unref'd), so
 * `vrrp-lab up` can return while anchors, nginx and daemons keep running. `ip netns exec` execs the
 * command in place, so the pid returned is the command's own pid.
 */
export function spawnDetached(cmd: string, args: readonly string[], opts: SpawnDetachedOptions): number {
  const [file, argv] = netnsArgv(cmd, args, opts.netns);
  const fd = openSync(opts.logFile ?? '/dev/null', 'a');
  try {
    const child = spawn(file, argv, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: labEnvironment(opts.env),
    });
    if (child.pid === undefined) {
      throw new PlatformError(`could not start ${cmd}${opts.netns ? ` in netns ${opts.netns}` : ''}`, 'ESPAWN');
    }
    // A failed exec shows up as an 'error' event; the caller checks liveness, we must not crash on it.
    child.on('error', () => {});
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}
