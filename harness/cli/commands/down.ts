import type { Command } from 'commander';
import { resolveAdapter } from '../../adapters/registry.js';
import { Lab } from '../../backends/netns/lab.js';
import { isRunId } from '../../backends/netns/names.js';
import { CliError, globalOptions, out } from '../cli-context.js';
import { preflight } from '../prerequisites.js';

export function registerDown(program: Command): void {
  program
    .command('down')
    .description('stop the implementation of a run (gracefully) and remove everything it created')
    .argument('<run-id>', 'run id printed by `up`')
    .action(async (runId: string, _o: unknown, cmd: Command) => {
      if (!isRunId(runId)) throw new CliError(`invalid run id "${runId}"`);
      const problem = await preflight(['ip']);
      if (problem) throw new CliError(problem);
      const lab = await Lab.attach(runId, { runsDir: globalOptions(cmd).runsDir }).catch((err: Error) => {
        throw new CliError(`no run ${runId}: ${err.message}`);
      });
      // An adapter file is loaded again from where `up` found it.
      const impl = lab.manifest.implSource ?? lab.manifest.impl;
      if (impl !== undefined) {
        const adapter = await resolveAdapter(impl).catch((err: Error) => {
          out(`cannot load ${impl} (${err.message}): killing it instead of a graceful stop`);
        });
        if (adapter) {
          lab.adoptImplementation(adapter);
          // Graceful first (priority-0 adverts); whatever fails here, teardown below still kills it all.
          await lab
            .stopImplementation()
            .catch((err: Error) => out(`stopping ${impl} failed (${err.message}); killing it`));
        }
      }
      await lab.destroy();
      if (lab.manifest.backend === 'docker') {
        // The netns teardown stopped the run's processes and removed its names; the containers and the
        // image are the engine's, found by the run's label.
        const { requireEngine } = await import('../../backends/docker/engine.js');
        const { removeRunObjects } = await import('../../backends/docker/lab.js');
        await removeRunObjects(await requireEngine(), runId);
      }
      out(`removed ${runId}`);
    });
}
