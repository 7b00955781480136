import type { Command } from 'commander';
import { defaultRunsDir } from '../backends/netns/run-dir.js';

/** Options every command shares (declared on the root program). */
export interface GlobalOptions {
  runsDir: string;
}

export function globalOptions(cmd: Command): GlobalOptions {
  const root = cmd.parent ?? cmd;
  const o = root.opts<{ runsDir?: string }>();
  return { runsDir: o.runsDir ?? defaultRunsDir() };
}

/** A failure to report as one line (plus details) and exit 1, without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
