import type { Command } from 'commander';
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
