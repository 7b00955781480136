import type { Command } from 'commander';
import { cleanDeadRuns } from '../../backends/netns/runs.js';
import { CliError, globalOptions, out } from '../cli-context.js';
import { isRoot } from '../prerequisites.js';

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description('remove what dead runs left (their namespaces, processes and directories; by run id only)')
    .action(async (_o: unknown, cmd: Command) => {
      if (!isRoot()) throw new CliError('vrrp-lab clean needs root: run it with sudo');
      const removed = await cleanDeadRuns(globalOptions(cmd).runsDir);
      out(removed.length === 0 ? 'nothing to clean' : `removed ${removed.join(' ')}`);
    });
}
