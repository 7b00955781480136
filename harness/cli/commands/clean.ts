import type { Command } from 'commander';
import { cleanDeadDockerRuns } from '../../backends/docker/cleanup.js';
import { ensureEngine } from '../../backends/docker/engine.js';
import { cleanDeadRuns } from '../../backends/netns/runs.js';
import { CliError, globalOptions, out } from '../cli-context.js';
import { isRoot } from '../prerequisites.js';

/**
 * Docker runs first: their containers and images are found by label, and whether a run is dead is read
 * from its manifest, which the netns pass below removes. No engine reachable = no docker runs to clean.
 */
async function cleanDocker(runsDir: string | undefined): Promise<string[]> {
  const docker = await ensureEngine();
  if (!docker) return [];
  return cleanDeadDockerRuns(docker, runsDir);
}

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description('remove what dead runs left (namespaces, processes, containers, directories; by run id only)')
    .action(async (_o: unknown, cmd: Command) => {
      if (!isRoot()) throw new CliError('vrrp-lab clean needs root: run it with sudo');
      const runsDir = globalOptions(cmd).runsDir;
      const docker = await cleanDocker(runsDir);
      const netns = await cleanDeadRuns(runsDir);
      const removed = [...new Set([...docker, ...netns])];
      out(removed.length === 0 ? 'nothing to clean' : `removed ${removed.join(' ')}`);
    });
}
