import { type Command, Option } from 'commander';
import { resolveAdapter } from '../../adapters/registry.js';
import { Lab } from '../../backends/netns/lab.js';
import { loadTopologyFile } from '../../topology/load.js';
import { CliError, globalOptions, out } from '../cli-context.js';
import { notInstalled, preflight } from '../prerequisites.js';

export function registerUp(program: Command): void {
  program
    .command('up')
    .description(
      'build a topology (namespaces or containers), start nginx and the implementation; prints the run id last',
    )
    .argument('<file>', 'topology YAML file')
    .option('--impl <name|path>', 'implementation to run: vrrpd | keepalived | frr | an adapter file')
    .option('--run-id <id>', 'use this run id (6 characters [a-z0-9]) instead of a random one')
    .addOption(new Option('--backend <name>', 'where the hosts run').choices(['netns', 'docker']).default('netns'))
    .action(async (file: string, o: { impl?: string; runId?: string; backend: 'netns' | 'docker' }, cmd: Command) => {
      const adapter = o.impl === undefined ? undefined : await resolveAdapter(o.impl);
      const topo = await loadTopologyFile(file);
      const needsNginx = Object.values(topo.hosts).some((h) => h.nginx);
      const problem =
        (await preflight(['ip', 'nft', ...(needsNginx ? ['nginx', 'curl'] : [])])) ??
        (adapter && (await notInstalled(adapter)));
      if (problem) throw new CliError(problem);

      const opts = {
        runsDir: globalOptions(cmd).runsDir,
        topologyFile: file,
        ...(o.runId === undefined ? {} : { runId: o.runId }),
      };
      // The docker backend is loaded only when asked for (its engine lookup and testcontainers).
      const lab =
        o.backend === 'docker'
          ? await (await import('../../backends/docker/lab.js')).DockerLab.build(topo, opts)
          : await Lab.build(topo, opts);
      try {
        out(
          `built ${topo.name}: ${Object.keys(topo.hosts).length} hosts, switch netns ${lab.switchNetns}, dir ${lab.dir}`,
        );
        if (adapter) {
          await lab.startImplementation(adapter);
          out(
            `started ${adapter.name} on ${lab
              .routers()
              .map((h) => h.name)
              .join(', ')}`,
          );
        }
        await lab.persist();
      } catch (err) {
        await lab.destroy();
        throw err;
      }
      out(lab.runId);
    });
}
