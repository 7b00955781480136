import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { killDuringUp } from '../../reliability/kill-during-up.js';
import { CliError, out } from '../cli-context.js';
import { isRoot } from '../prerequisites.js';

/**
 * `vrrp-lab kill-up [FILE] [--rounds N] [--seed S] [--impl X]`: SIGKILL `vrrp-lab up` at random moments and
 * check that `vrrp-lab clean` leaves nothing (harness/reliability/kill-during-up.ts). Runs in a private runs
 * directory, so its clean never touches anybody else's runs.
 */
export function registerKillUp(program: Command): void {
  program
    .command('kill-up')
    .description('SIGKILL `vrrp-lab up` at random moments; `vrrp-lab clean` must leave nothing behind')
    .argument('[file]', 'topology file (default: the seed pair, with nginx and a switch filter)')
    .option('--rounds <n>', 'how many kills', '5')
    .option('--seed <n>', 'PRNG seed of the kill moments (default: random, printed)')
    .option('--impl <name>', 'implementation `up` starts', 'vrrpd')
    .action(async (file: string | undefined, o: { rounds: string; seed?: string; impl: string }) => {
      if (!isRoot()) throw new CliError('vrrp-lab kill-up needs root: run it with sudo');
      const rounds = Number(o.rounds);
      if (!Number.isInteger(rounds) || rounds < 1) throw new CliError(`--rounds must be ≥ 1, got "${o.rounds}"`);
      const seed = o.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(o.seed);
      const runsDir = await mkdtemp(join(tmpdir(), 'vrrp-lab-kill-up-'));
      try {
        const r = await killDuringUp({
          rounds,
          seed,
          runsDir,
          impl: o.impl,
          ...(file === undefined ? {} : { topologyFile: file }),
          progress: out,
        });
        const leaky = r.rounds.filter((x) => x.leaks.length > 0);
        if (r.calibrationLeaks.length) out(`a whole up + down + clean left: ${r.calibrationLeaks.join('; ')}`);
        out(
          `${leaky.length || r.calibrationLeaks.length ? 'FAIL' : 'PASS'}: ${rounds} kills of \`vrrp-lab up\` (a whole up takes ${Math.round(r.upMs)} ms, seed ${seed}): ` +
            `${r.rounds.filter((x) => x.upCompleted).length} came after up had completed (then down), ` +
            `${leaky.length} left something behind`,
        );
        process.exitCode = leaky.length || r.calibrationLeaks.length ? 1 : 0;
      } finally {
        await rm(runsDir, { recursive: true, force: true });
      }
    });
}
