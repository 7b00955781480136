import { type Command, Option } from 'commander';
import { isImplName, loadAdapter } from '../../adapters/registry.js';
import { Lab } from '../../backends/netns/lab.js';
import { loadTopologyFile } from '../../topology/load.js';
import { CliError, globalOptions, out } from '../cli-context.js';
import { preflight } from '../prerequisites.js';

const IMPL_TOOLS: Record<string, string[]> = {
  keepalived: ['keepalived'],
  frr: ['/usr/lib/frr/vrrpd', '/usr/lib/frr/zebra'],
  vrrpd: [],
};

export function registerUp(program: Command): void {
  program
    .command('up')
    .description(
      'build a topology (namespaces or containers), start nginx and the implementation; prints the run id last',
    )
    .argument('<file>', 'topology YAML file')
    .option('--impl <name>', 'implementation to run: vrrpd | keepalived | frr')
    .option('--run-id <id>', 'use this run id (6 characters [a-z0-9]) instead of a random one')
    .addOption(new Option('--backend <name>', 'where the hosts run').choices(['netns', 'docker']).default('netns'))
    .action(async (file: string, o: { impl?: string; runId?: string; backend: 'netns' | 'docker' }, cmd: Command) => {
      if (o.impl !== undefined && !isImplName(o.impl)) throw new CliError(`unknown implementation "${o.impl}"`);
      const topo = await loadTopologyFile(file);
      const needsNginx = Object.values(topo.hosts).some((h) => h.nginx);
      const tools = [
        'ip',
        'nft',
        ...(needsNginx ? ['nginx', 'curl'] : []),
        ...(o.impl ? (IMPL_TOOLS[o.impl] ?? []) : []),
      ];
      const problem = await preflight(tools);
      if (problem) throw new CliError(problem);

      const lookup = o.impl && isImplName(o.impl) ? await loadAdapter(o.impl) : undefined;
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
        if (lookup?.adapter) {
          await lab.startImplementation(lookup.adapter);
          out(
            `started ${lookup.adapter.name} on ${lab
              .routers()
              .map((h) => h.name)
              .join(', ')}`,
          );
        } else if (o.impl) {
          out(`${lookup?.reason ?? `no adapter for ${o.impl}`}: topology built without an implementation`);
        }
        await lab.persist();
      } catch (err) {
        await lab.destroy();
        throw err;
      }
      out(lab.runId);
    });
}
