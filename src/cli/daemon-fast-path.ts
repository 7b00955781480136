import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { daemonArgs } from './daemon-args.js';

type RunCommandModule = typeof import('./run-command.js');

/** dist/vrrpd-daemon.cjs (scripts/bundle-daemon.mjs): the daemon path in one file. */
const BUNDLE = new URL('../../vrrpd-daemon.cjs', import.meta.url);
const UNBUNDLED = new URL('./run-command.js', import.meta.url);

/**
 * The bundle when it is at least as new as tsc's output next to us (a `tsc` run without the bundling
 * step must not leave an older daemon running), else the separate modules.
 */
async function loadRunCommand(): Promise<RunCommandModule> {
  try {
    if (statSync(fileURLToPath(BUNDLE)).mtimeMs >= statSync(fileURLToPath(UNBUNDLED)).mtimeMs) {
      return createRequire(import.meta.url)(fileURLToPath(BUNDLE)) as RunCommandModule;
    }
  } catch {
    // No bundle (running from src/, or built with tsc alone): the separate modules below.
  }
  return import('./run-command.js');
}

/**
 * `vrrpd [-n] [-l] [-D] -f FILE ...`: runs the daemon without loading the CLI parser, and exits with its
 * code. Returns (doing nothing) for any other command line, which the full parser then handles.
 */
export async function runFastDaemonPath(argv: readonly string[]): Promise<void> {
  const options = daemonArgs(argv);
  if (!options) return;
  const { runDaemonCommand } = await loadRunCommand();
  process.exit(await runDaemonCommand(options));
}
