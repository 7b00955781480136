import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Shell } from 'zx/core';
import { VrrpLabError } from '../../src/util/errors.js';
import type { FaultInjector } from './types.js';

/**
 * One host of a running lab, as a scenario step (or a VrrpLab user) sees it: the faults of the
 * FaultInjector bound to the host, and zx's `$` running inside the host — its network namespace on the
 * netns backend, its container on the docker backend — for the shell-like steps an operator writes:
 *
 *   await lab.host('r1').$`ip link set eth0 down`;
 */
export interface HostHandle {
  readonly name: string;
  /** zx's `$`, every command run by `bash -c` inside the host (the run's tag in its environment). */
  readonly $: Shell;
  start(): Promise<void>;
  /** Graceful stop: the implementation sends priority 0. */
  stop(): Promise<void>;
  /** SIGKILL of the implementation, no cleanup; start() afterwards undoes it. */
  crash(): Promise<void>;
  linkDown(): Promise<void>;
  linkUp(): Promise<void>;
  /** netem loss on the host's link; returns the undo. */
  loss(percent: number): Promise<() => Promise<void>>;
  flap(o: { periodMs: number; count: number }): Promise<void>;
  nginxFail(): Promise<void>;
  nginxRecover(): Promise<void>;
}

/**
 * zx hands its spawn function `(command, [], { shell })`; this one runs the same shell, with the same
 * arguments, behind `prefix` (e.g. `ip netns exec NS`), so pipes, globs and quoting behave as in zx.
 */
export function prefixedSpawn(prefix: readonly string[], env: Record<string, string>): typeof spawn {
  const [cmd, ...rest] = prefix;
  if (cmd === undefined) throw new VrrpLabError('host shell: empty command prefix');
  const wrapped = (command: string, args: readonly string[] | SpawnOptions, options?: SpawnOptions): ChildProcess => {
    const argv: readonly string[] = Array.isArray(args) ? args : [];
    const opts: SpawnOptions = (Array.isArray(args) ? options : (args as SpawnOptions | undefined)) ?? {};
    const shell = typeof opts.shell === 'string' ? opts.shell : '/bin/sh';
    const line = [command, ...argv].join(' ');
    return spawn(cmd, [...rest, shell, '-c', line], { ...opts, shell: false, env: { ...opts.env, ...env } });
  };
  return wrapped as typeof spawn;
}

/** zx is loaded on first use (its CommonJS build, synchronously), so a run that never shells out never pays for it. */
const requireZx = (): typeof import('zx/core') => createRequire(import.meta.url)('zx/core');

export function hostShell(prefix: readonly string[], env: Record<string, string>): Shell {
  return requireZx().$({ spawn: prefixedSpawn(prefix, env), quiet: true });
}

export function hostHandle(
  name: string,
  faults: FaultInjector,
  shell: (host: string) => { prefix: string[]; env: Record<string, string> } | undefined,
): HostHandle {
  let $: Shell | undefined;
  return {
    name,
    get $() {
      if ($) return $;
      const s = shell(name);
      if (!s) throw new VrrpLabError(`host ${name}: this lab gives no shell into its hosts`);
      $ = hostShell(s.prefix, s.env);
      return $;
    },
    start: () => faults.start(name),
    stop: () => faults.stop(name),
    crash: () => faults.crash(name),
    linkDown: () => faults.linkDown(name),
    linkUp: () => faults.linkUp(name),
    loss: (pct) => faults.loss(name, pct),
    flap: (o) => faults.flap(name, o),
    nginxFail: () => faults.nginxFail(name),
    nginxRecover: () => faults.nginxRecover(name),
  };
}
