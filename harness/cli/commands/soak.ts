import type { Command } from 'commander';
import { resolveAdapter } from '../../adapters/registry.js';
import { runSoak } from '../../soak/run-soak.js';
import { CliError, globalOptions, out } from '../cli-context.js';

/** "90", "90s", "15m", "1h" → ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError(`--duration: expected a number with s, m or h (e.g. 60s, 30m), got "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000;
  return Number(m[1]) * unit;
}

/**
 * `vrrp-lab soak --impl X --duration D [--seed S] [--report DIR]`: random faults on three routers, each healed;
 * exit 1 if any heal was not followed by exactly one VIP holder within the RFC bound (harness/soak/run-soak.ts).
 */
export function registerSoak(program: Command): void {
  program
    .command('soak')
    .description(
      'random faults (loss, multicast cut, link, freeze, crash, nginx, restart), each healed; one holder after each heal',
    )
    .option(
      '--impl <name>',
      'implementation (repeat for several): vrrpd | keepalived | frr',
      (v: string, p?: string[]) => [...(p ?? []), v],
    )
    .option('--duration <d>', 'how long to inject faults (e.g. 60s, 30m)', '60s')
    .option('--seed <n>', 'PRNG seed of the fault schedule (default: random, printed)')
    .option(
      '--report <dir>',
      'write report.json, junit.xml, report.html and soak.json (per implementation subdirectory)',
    )
    .action(async (o: { impl?: string[]; duration: string; seed?: string; report?: string }, cmd: Command) => {
      const impls = o.impl?.length ? o.impl : ['vrrpd'];
      // A bad name or adapter file is an error before anything runs.
      for (const i of impls) await resolveAdapter(i);
      const durationMs = parseDuration(o.duration);
      const seed = o.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(o.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new CliError(`--seed must be an integer ≥ 0, got "${o.seed}"`);
      let failed = false;
      for (const impl of impls) {
        const r = await runSoak({
          impl,
          durationMs,
          seed,
          runsDir: globalOptions(cmd).runsDir,
          ...(o.report === undefined ? {} : { report: impls.length > 1 ? `${o.report}/${impl}` : o.report }),
          progress: out,
        });
        const hours = r.ranMs / 3_600_000;
        out(
          `[${impl}] ${r.status.toUpperCase()}: seed ${r.seed}, ${r.episodes} faults in ${(r.ranMs / 1000).toFixed(0)} s, ` +
            `${r.violations.length} violations (${(r.violations.length / hours).toFixed(1)}/h), ` +
            `${r.transitions} transitions (${r.transitionsPerHour}/h)`,
        );
        for (const v of r.violations) {
          out(`[${impl}]   episode ${v.episode} (${v.fault}): ${v.problem}`);
          for (const l of v.excerpt) out(`[${impl}]       ${l}`);
        }
        for (const e of r.errors) out(`[${impl}]   ${e}`);
        failed ||= r.status !== 'pass';
      }
      process.exitCode = failed ? 1 : 0;
    });
}
