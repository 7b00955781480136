import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { execa } from 'execa';
import type { AdapterHost } from '../../../harness/adapters/types.js';
import { CommandError } from '../../../src/util/errors.js';

/** exec/spawn of an AdapterHost that lives in the network namespace `netns` (the wire labs' own hosts). */
export function netnsProcesses(netns: string): Pick<AdapterHost, 'exec' | 'spawn'> {
  return {
    async exec(cmd, args, opts) {
      const full = ['netns', 'exec', netns, cmd, ...args];
      const r = await execa('ip', full, {
        reject: false,
        ...(opts?.input === undefined ? {} : { input: opts.input }),
        env: opts?.env ?? {},
      });
      if (r.exitCode !== 0) throw new CommandError(cmd, args, r.exitCode, r.stderr, netns);
      return { stdout: r.stdout, stderr: r.stderr };
    },
    async spawn(cmd, args, opts) {
      const fd = openSync(opts.logFile, 'a');
      try {
        // `ip netns exec` execs the command, so the pid we get is the daemon's own.
        const child = spawn('ip', ['netns', 'exec', netns, cmd, ...args], {
          detached: true,
          stdio: ['ignore', fd, fd],
          env: { ...process.env, ...opts.env },
        });
        child.on('error', () => undefined);
        child.unref();
        if (child.pid === undefined) throw new CommandError(cmd, args, undefined, 'spawn failed', netns);
        return { pid: child.pid };
      } finally {
        closeSync(fd);
      }
    },
  };
}
