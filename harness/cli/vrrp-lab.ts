#!/usr/bin/env node
import { Command } from 'commander';
import { VrrpLabError } from '../../src/util/errors.js';
import { CliError } from './cli-context.js';
import { registerClean } from './commands/clean.js';
import { registerConform } from './commands/conform.js';
import { registerDoctor } from './commands/doctor.js';
import { registerDown } from './commands/down.js';
import { registerDrill } from './commands/drill.js';
import { registerFuzz, registerFuzzConfig } from './commands/fuzz.js';
import { registerKillUp } from './commands/kill-up.js';
import { registerLs } from './commands/ls.js';
import { registerMergeReports } from './commands/merge-reports.js';
import { registerSoak } from './commands/soak.js';
import { registerUp } from './commands/up.js';

/**
 * vrrp-lab: build VRRP topologies in network namespaces and run implementations in them.
 * Each command lives in commands/<name>.ts and registers itself here (room for `drill` & co).
 */
export function buildProgram(): Command {
  const program = new Command('vrrp-lab')
    .description('VRRP topologies in Linux network namespaces')
    .option('--runs-dir <dir>', 'where runs live (default $VRRPLAB_RUNS_DIR or /run/vrrp-lab)')
    .showHelpAfterError();
  registerUp(program);
  registerDown(program);
  registerLs(program);
  registerClean(program);
  registerDoctor(program);
  registerDrill(program);
  registerConform(program);
  registerFuzz(program);
  registerMergeReports(program);
  registerFuzzConfig(program);
  registerSoak(program);
  registerKillUp(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Known failures are one clear line (or one per topology issue); anything else keeps its stack.
    const known = err instanceof CliError || err instanceof VrrpLabError;
    process.stderr.write(`vrrp-lab: ${known ? (err as Error).message : String((err as Error)?.stack ?? err)}\n`);
    return 1;
  }
}

const code = await main(process.argv);
// Detached children (anchors, nginx, daemons) are unref'd; exit explicitly so nothing else holds us.
process.exit(code);
