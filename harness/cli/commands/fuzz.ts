import { join } from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../../../src/util/package-info.js';
import { fuzzConfigs, readSamples } from '../../fuzz/config-fuzz.js';
import { runFuzz } from '../../fuzz/run-fuzz.js';
import { CliError, globalOptions, out } from '../cli-context.js';

interface FuzzCliOptions {
  impl?: string[];
  packets: string;
  rate: string;
  seed?: string;
}

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`${name} must be a positive integer, got "${v}"`);
  return n;
}

/**
 * `vrrp-lab fuzz --impl X [--packets N] [--rate PPS] [--seed S]`: fuzzed adverts from a tester namespace at a
 * running implementation (harness/fuzz/run-fuzz.ts says what passes). Repeat --impl to compare in one run.
 */
export function registerFuzz(program: Command): void {
  program
    .command('fuzz')
    .description('inject random and mutated VRRP packets at an implementation; pass if it survives, unmoved')
    .option(
      '--impl <name>',
      'implementation (repeat for several): vrrpd | keepalived | frr | PATH of an adapter file',
      (v: string, p?: string[]) => [...(p ?? []), v],
    )
    .option('--packets <n>', 'packets to send', '10000')
    .option('--rate <pps>', 'packets per second', '20000')
    .option('--seed <n>', 'PRNG seed (default: random, printed)')
    .action(async (o: FuzzCliOptions, cmd: Command) => {
      const impls = o.impl?.length ? o.impl : ['vrrpd'];
      const packets = positive('--packets', o.packets);
      const ratePps = positive('--rate', o.rate);
      const seed = o.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : positive('--seed', o.seed);
      let failed = false;
      for (const impl of impls) {
        const r = await runFuzz({ impl, packets, ratePps, seed, runsDir: globalOptions(cmd).runsDir, progress: out });
        const kinds = Object.entries(r.byKind)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ');
        out(
          `[${impl}] ${r.failures.length ? 'FAIL' : 'PASS'}: ${r.sent} packets in ${(r.ms / 1000).toFixed(1)} s (${r.ratePps}/s; ${kinds}), seed ${r.seed}`,
        );
        out(
          `[${impl}]   states ${Object.entries(r.states)
            .map(([h, s]) => `${h} ${s}`)
            .join(', ')}; VIP holders: ${r.holders.join(', ') || 'none'}`,
        );
        for (const c of r.reconciliation ?? []) {
          out(
            `[${impl}]   ${c.router}: ${c.accounted} accounted (received ${c.advertsReceived} + dropped ${c.dropped} + kernel ${c.kernelDrops}) of ${c.expected} expected`,
          );
        }
        for (const f of r.failures) out(`[${impl}]   ${f}`);
        failed ||= r.failures.length > 0;
      }
      process.exitCode = failed ? 1 : 0;
    });
}

/** `vrrp-lab fuzz-config [SAMPLE...] [--files N] [--seed S] [--binary N]`: mutated keepalived.conf files at `vrrpd -t`. */
export function registerFuzzConfig(program: Command): void {
  program
    .command('fuzz-config')
    .description('mutated keepalived.conf files at vrrpd -t: never a crash, every error FILE:LINE:COL')
    .argument('[sample...]', 'config files or directories to mutate', [
      join(packageRoot(), 'test', 'fixtures', 'config'),
    ])
    .option('--files <n>', 'mutated files', '10000')
    .option('--seed <n>', 'PRNG seed (default: random, printed)')
    .option('--binary <n>', 'how many also go through the vrrpd binary', '50')
    .action(async (paths: string[], o: { files: string; seed?: string; binary: string }) => {
      const seed = o.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : positive('--seed', o.seed);
      const samples = readSamples(paths);
      if (samples.length === 0) throw new CliError('no sample configs found');
      const r = await fuzzConfigs({
        samples,
        files: positive('--files', o.files),
        seed,
        binarySample: Number(o.binary) || 0,
      });
      out(
        `${r.findings.length ? 'FAIL' : 'PASS'}: ${r.files} mutated files from ${samples.length} samples (seed ${seed}): ` +
          `${r.rejected} rejected, ${r.accepted} accepted, ${r.binaryChecked} also through vrrpd -t, ${r.findings.length} findings`,
      );
      for (const f of r.findings.slice(0, 20)) out(`  #${f.index} (from ${f.source}): ${f.problem}`);
      process.exitCode = r.findings.length ? 1 : 0;
    });
}
