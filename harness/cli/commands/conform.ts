import { type Command, Option } from 'commander';
import { resolveAdapter } from '../../adapters/registry.js';
import { CATALOGUE, selectCases } from '../../conformance/catalogue.js';
import { matrixText } from '../../conformance/report/matrix.js';
import { writeConformanceReports } from '../../conformance/report/write.js';
import { runConformance } from '../../conformance/runner.js';
import { shardConformance } from '../../conformance/shard.js';
import type { ConformanceProgress, ImplementationResults } from '../../conformance/types.js';
import { formatShard, parseShard } from '../../scenario/shard.js';
import { CliError, globalOptions, out } from '../cli-context.js';
import { preflight } from '../prerequisites.js';

interface ConformOptions {
  impl?: string[];
  report?: string;
  list?: boolean;
  keep?: boolean;
  shard?: string;
}

function progressLine(p: ConformanceProgress): void {
  const t = `+${(p.elapsedMs / 1000).toFixed(1)}s`.padStart(8);
  const [id, variant] = p.id.split('/');
  const state = p.status === 'start' ? 'running' : p.status.toUpperCase();
  const detail = p.status === 'start' || p.status === 'pass' ? '' : `  ${p.detail ?? ''}`;
  out(`[${p.impl}] ${t}  ${(id ?? '').padEnd(4)} ${(variant ?? '').padEnd(20)} ${state}${detail}`);
}

/**
 * `vrrp-lab conform`: run the RFC conformance catalogue (all cases by default) against one or more
 * implementations; progress lines, a cases × implementations matrix, reports; exit 0 only when no case failed.
 */
export function registerConform(program: Command): void {
  program
    .command('conform')
    .description('run the RFC conformance cases against implementations (exit 0 only if no case failed)')
    .argument('[case...]', 'case ids (R1 = every variant of R1) or variants (R1/v3-ipv4); default all')
    .addOption(
      new Option('--impl <name|path>', 'implementation to test (repeat for a matrix); default vrrpd').argParser(
        (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
      ),
    )
    .option('--report <dir>', 'write conformance.json, junit.xml and conformance.html into DIR')
    .option('--list', 'list the cases (id, RFC, settings needed, title) and exit')
    .option('--keep', 'keep each lab’s run directory (captures, logs)')
    .option('--shard <I/N>', 'run only the I-th of N disjoint parts of implementation × case variant')
    .action(async (names: string[], o: ConformOptions, cmd: Command) => {
      const { selected, unknown } = selectCases(names);
      if (unknown.length > 0) throw new CliError(`unknown case(s): ${unknown.join(', ')} (see --list)`);
      if (o.list) {
        for (const c of selected) out(`${c.id.padEnd(24)} ${c.rfc.padEnd(40)} [${c.needs.join(',')}] ${c.title}`);
        out(`${selected.length} of ${CATALOGUE.length} variants`);
        return;
      }
      const problem = await preflight(['ip', 'nft', 'tcpdump']);
      if (problem) throw new CliError(problem);
      const adapters = [];
      for (const spec of o.impl?.length ? o.impl : ['vrrpd']) {
        adapters.push(
          await resolveAdapter(spec).catch((err: Error) => {
            throw new CliError(err.message);
          }),
        );
      }
      const shard = o.shard === undefined ? undefined : parseShard(o.shard);
      const implNames = adapters.map((a) => a.name);
      const parts = shard ? shardConformance(implNames, selected, shard) : new Map(implNames.map((n) => [n, selected]));
      if (shard) {
        const mine = [...parts.values()].reduce((n, v) => n + v.length, 0);
        out(`shard ${formatShard(shard)}: ${mine} of ${implNames.length * selected.length} cases`);
      }
      const runs: ImplementationResults[] = [];
      for (const adapter of adapters) {
        const cases = parts.get(adapter.name) ?? [];
        const r = await runConformance({ adapter, runsDir: globalOptions(cmd).runsDir, keep: o.keep === true }, cases, {
          progress: progressLine,
        });
        out(`[${adapter.name}] ${cases.length} cases in ${(r.wallMs / 1000).toFixed(1)} s`);
        runs.push(r);
      }
      out('');
      out(matrixText(runs));
      if (o.report) {
        const files = await writeConformanceReports(o.report, runs);
        out(`reports: ${files.join(', ')}`);
      }
      process.exitCode = runs.some((r) => r.cases.some((c) => c.status === 'fail')) ? 1 : 0;
    });
}
