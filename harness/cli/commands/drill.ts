import { type Command, Option } from 'commander';
import { scenarios } from '../../../scenarios/index.js';
import type { LabAdapter } from '../../adapters/lab-adapter.js';
import { resolveAdapter } from '../../adapters/registry.js';
import type { DrillRun } from '../../reports/report-json.js';
import { summaryTable } from '../../reports/summary-table.js';
import { writeReports } from '../../reports/write-reports.js';
import { DEFAULT_TOLERANCE_MS, runScenario } from '../../scenario/run-scenario.js';
import { isScenarioFile, loadScenarioFile } from '../../scenario/scenario-file.js';
import { sessionFactory, unavailableFactory } from '../../scenario/sessions.js';
import { formatShard, parseShard, shardMatrix } from '../../scenario/shard.js';
import { emptyTimeline } from '../../scenario/timeline.js';
import type { BackendName, ProgressEvent, Scenario, ScenarioResult } from '../../scenario/types.js';
import { CliError, globalOptions, out } from '../cli-context.js';
import { notInstalled, preflight } from '../prerequisites.js';

interface DrillOptions {
  impl: string[];
  backend: BackendName;
  report?: string;
  tolerance: string;
  shard?: string;
}

function progressLine(impl: string): (e: ProgressEvent) => void {
  return (e) => {
    const t = `+${(e.elapsedMs / 1000).toFixed(1)}s`.padStart(8);
    out(`[${impl}] ${e.scenario.padEnd(27)} ${t}  ${e.step}${e.message ? `: ${e.message}` : ''}`);
  };
}

function skipped(name: string, reason: string): ScenarioResult {
  return {
    name,
    status: 'skip',
    durationMs: 0,
    measurements: {},
    failures: [],
    skipReason: reason,
    timeline: emptyTimeline(),
    marks: {},
  };
}

/** Built-in scenarios by name, and the scenarios of drill files (any path ending .mjs/.js or with a slash). */
async function chooseScenarios(args: string[]): Promise<Scenario[]> {
  const names = args.filter((a) => !isScenarioFile(a));
  const unknown = names.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length > 0) throw new CliError(`unknown scenario(s): ${unknown.join(', ')}`);
  if (args.length === 0) return [...scenarios];
  const chosen: Scenario[] = [];
  for (const a of args) {
    if (isScenarioFile(a)) chosen.push(...(await loadScenarioFile(a)));
    else chosen.push(...scenarios.filter((s) => s.name === a));
  }
  return chosen;
}

/**
 * `vrrp-lab drill`: run the scenarios (all by default) against one or more implementations, print progress and
 * a summary (a matrix with several --impl), write reports, exit 0 only if nothing failed (skips do not fail).
 */
export function registerDrill(program: Command): void {
  program
    .command('drill')
    .description('run the scenarios against an implementation and report (exit 0 only if every scenario passed)')
    .argument(
      '[scenario...]',
      `scenarios to run: built-in names (default all: ${scenarios.map((s) => s.name).join(', ')}) or drill files (./my-drill.mjs)`,
    )
    .addOption(
      new Option(
        '--impl <name|path>',
        'implementation (repeat for a matrix): vrrpd | keepalived | frr | an adapter file (.yaml, .yml, .json, .mjs, .js)',
      ).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
    )
    .addOption(new Option('--backend <name>', 'where to run').choices(['netns', 'docker']).default('netns'))
    .option('--report <dir>', 'write report.json, junit.xml and report.html into DIR')
    .option('--tolerance <ms>', 'added to every RFC bound', String(DEFAULT_TOLERANCE_MS))
    .option('--shard <I/N>', 'run only the I-th of N disjoint parts of scenario × implementation × variant')
    .action(async (names: string[], o: DrillOptions, cmd: Command) => {
      // Resolve every --impl first: a bad adapter file is an error before anything runs (FILE:LINE:COL).
      const adapters: LabAdapter[] = [];
      for (const spec of o.impl?.length ? o.impl : ['vrrpd']) adapters.push(await resolveAdapter(spec));
      const toleranceMs = Number(o.tolerance);
      if (!Number.isFinite(toleranceMs) || toleranceMs < 0)
        throw new CliError(`--tolerance must be a number of ms ≥ 0, got "${o.tolerance}"`);
      const chosen = await chooseScenarios(names);
      const shard = o.shard === undefined ? undefined : parseShard(o.shard);
      const all = adapters
        .map((a) => a.name)
        .flatMap((impl) =>
          chosen.map((s) => ({
            scenario: s.name,
            impl,
            ...(s.variant === undefined ? {} : { variant: s.variant }),
            s,
          })),
        );
      const cases = shard ? shardMatrix(all, shard) : all;
      if (shard) out(`shard ${formatShard(shard)}: ${cases.length} of ${all.length} cases`);

      let factory = await sessionFactory(o.backend);
      if (o.backend === 'netns') {
        // Missing base tools are an error of the machine, not a result: say so before anything runs.
        const problem = await preflight(['ip', 'nft', 'tc', 'tcpdump', 'nginx', 'curl']);
        if (problem) factory = unavailableFactory('netns', problem);
      }
      const runs: DrillRun[] = [];
      for (const adapter of adapters) {
        const impl = adapter.name;
        const missingReason = await notInstalled(adapter);
        const results: ScenarioResult[] = [];
        const mine = cases.filter((c) => c.impl === impl).map((c) => c.s);
        for (const s of mine) {
          const r = missingReason
            ? skipped(s.name, missingReason)
            : await runScenario(s, {
                impl,
                backend: o.backend,
                toleranceMs,
                runsDir: globalOptions(cmd).runsDir,
                sessions: factory,
                progress: progressLine(impl),
              });
          const detail =
            r.status === 'skip' ? ` (${r.skipReason})` : r.failures.length ? `: ${r.failures.length} failure(s)` : '';
          out(`[${impl}] ${s.name}: ${r.status.toUpperCase()} in ${(r.durationMs / 1000).toFixed(1)} s${detail}`);
          for (const f of r.failures) out(`    ${f}`);
          if (r.artifactsDir) out(`    kept ${r.artifactsDir}`);
          results.push(r);
        }
        runs.push({ impl, backend: o.backend, results, ...(shard ? { shard: formatShard(shard) } : {}) });
      }
      out('');
      out(summaryTable(runs));
      if (o.report) {
        const files = await writeReports(o.report, runs);
        out(`reports: ${files.join(', ')}`);
      }
      process.exitCode = runs.some((run) => run.results.some((r) => r.status === 'fail')) ? 1 : 0;
    });
}
