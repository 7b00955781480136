import type { Command } from 'commander';
import { scenarios } from '../../../scenarios/index.js';
import { findReportDirs, mergeRuns, readReportDir } from '../../reports/merge.js';
import { summaryTable } from '../../reports/summary-table.js';
import { writeReports } from '../../reports/write-reports.js';
import { CliError, out } from '../cli-context.js';

/**
 * `vrrp-lab merge-reports OUT DIR...`: the reports of a sharded drill (`--shard I/N` on several runners)
 * → one report.json, junit.xml and report.html, as if the matrix had run on one machine. Each DIR is a
 * report directory or a folder holding them (e.g. downloaded CI artifacts). Refuses a case reported twice
 * and a missing shard.
 */
export function registerMergeReports(program: Command): void {
  program
    .command('merge-reports')
    .description('merge the reports of a sharded drill into one (report.json, junit.xml, report.html)')
    .argument('<out>', 'directory to write the merged reports into')
    .argument('<dir...>', 'report directories of the shards, or folders that contain them')
    .action(async (outDir: string, dirs: string[]) => {
      const found = (await Promise.all(dirs.map(findReportDirs))).flat();
      if (found.length === 0) throw new CliError(`no report.json under ${dirs.join(', ')}`);
      const reports = (await Promise.all(found.map(readReportDir))).flat();
      const runs = mergeRuns(
        reports,
        scenarios.map((s) => s.name),
      );
      out(summaryTable(runs));
      const files = await writeReports(outDir, runs);
      out(`merged ${found.length} report(s): ${files.join(', ')}`);
      process.exitCode = runs.some((r) => r.results.some((x) => x.status === 'fail')) ? 1 : 0;
    });
}
