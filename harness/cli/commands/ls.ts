import type { Command } from 'commander';
import { listRuns } from '../../backends/netns/runs.js';
import { globalOptions, out } from '../cli-context.js';

export function registerLs(program: Command): void {
  program
    .command('ls')
    .description('list runs (id, topology, implementation, created, alive/dead)')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const runs = await listRuns(globalOptions(cmd).runsDir);
      const rows = runs.map((r) => ({
        id: r.runId,
        topology: r.topology,
        impl: r.impl ?? '-',
        backend: r.backend ?? 'netns',
        created: r.createdAt,
        status: r.alive ? 'alive' : 'dead',
        state: r.state,
      }));
      if (o.json) {
        out(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) {
        out('no runs');
        return;
      }
      const header = {
        id: 'ID',
        topology: 'TOPOLOGY',
        impl: 'IMPL',
        backend: 'BACKEND',
        created: 'CREATED',
        status: 'STATUS',
        state: 'STATE',
      };
      const cols = Object.keys(header) as (keyof typeof header)[];
      const width = (c: keyof typeof header) => Math.max(...[header, ...rows].map((r) => r[c].length));
      for (const r of [header, ...rows])
        out(
          cols
            .map((c) => r[c].padEnd(width(c)))
            .join('  ')
            .trimEnd(),
        );
    });
}
