import { execa } from 'execa';
import { CommandError } from '../../src/util/errors.js';

export interface RunOptions {
  /** Run inside this named network namespace (/run/netns/NAME). */
  netns?: string;
  /** Text written to the command's stdin. */
  input?: string;
  /** Extra environment (merged over the current one). */
  env?: Record<string, string>;
  /** Give up after this many ms (the error is a CommandError with exitCode undefined). */
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * The argv that actually runs `cmd args` in `netns`. `ip` gets `-n NS` (no fork of a second process,
 * no mount-namespace setup); everything else goes through `ip netns exec`, which also bind-mounts a
 * namespace-correct /sys and /etc/netns/NAME like the tools expect.
 */
export function netnsArgv(cmd: string, args: readonly string[], netns?: string): [string, string[]] {
  if (netns === undefined) return [cmd, [...args]];
  if (cmd === 'ip') return ['ip', ['-n', netns, ...args]];
  return ['ip', ['netns', 'exec', netns, cmd, ...args]];
}

/**
 * Run one privileged command and wait for it. Throws CommandError (command, args, namespace, exit
 * code, stderr) on a non-zero exit, a signal, or when it could not be started at all.
 */
export async function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, argv] = netnsArgv(cmd, args, opts.netns);
  const r = await execa(file, argv, {
    reject: false,
    input: opts.input,
    env: opts.env,
    timeout: opts.timeoutMs,
    stripFinalNewline: false,
  });
  if (r.failed) {
    const stderr = r.stderr || r.shortMessage || '';
    throw new CommandError(cmd, [...args], r.exitCode, String(stderr), opts.netns, { cause: r.cause ?? undefined });
  }
  return { stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Like run() but reports the exit status instead of throwing on a non-zero exit. */
export async function runStatus(
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult & { exitCode: number }> {
  const [file, argv] = netnsArgv(cmd, args, opts.netns);
  const r = await execa(file, argv, { reject: false, input: opts.input, env: opts.env, timeout: opts.timeoutMs });
  if (r.exitCode === undefined) {
    throw new CommandError(cmd, [...args], undefined, String(r.stderr || r.shortMessage), opts.netns);
  }
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode };
}

/**
 * Feed many `ip` commands to one `ip -batch -` process: one fork for a whole topology stage instead
 * of one per command. A failing line aborts the batch; its line number and text end up in the
 * CommandError so the caller knows which resource failed.
 */
export async function ipBatch(
  lines: readonly string[],
  opts: { netns?: string; force?: boolean; env?: Record<string, string> } = {},
): Promise<void> {
  if (lines.length === 0) return;
  const args = [...(opts.force ? ['-force'] : []), '-batch', '-'];
  try {
    await run('ip', args, { netns: opts.netns, env: opts.env, input: `${lines.join('\n')}\n` });
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    // ip reports "Command failed -:N": name the line so the error is actionable.
    const m = /Command failed -:(\d+)/.exec(err.stderr);
    const line = m ? lines[Number(m[1]) - 1] : undefined;
    const stderr = line === undefined ? err.stderr : `${err.stderr.trim()} (line: ip ${line})`;
    throw new CommandError('ip', args, err.exitCode, stderr, opts.netns, { cause: err });
  }
}
