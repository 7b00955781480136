import { CommandError, PlatformError } from '../../../../src/util/errors.js';
import { run } from '../../../platform/run.js';
import { type Impairment, impairment } from './handle.js';
import { nftDropTable } from './nft-filter.js';
import type { LinkTarget } from './target.js';

export interface NetemOptions {
  /** Packet loss in percent (0-100). */
  lossPct?: number;
  delayMs?: number;
  /** Needs a delay (0 is fine): netem jitter is a variation of the delay. */
  jitterMs?: number;
  /** Which way: both (default), `out` = host → switch only, `in` = switch → host only. */
  direction?: 'both' | 'out' | 'in';
}

export function netemArgs(o: NetemOptions): string[] {
  const args: string[] = [];
  if (o.delayMs !== undefined || o.jitterMs !== undefined) {
    args.push('delay', `${o.delayMs ?? 0}ms`);
    if (o.jitterMs !== undefined) args.push(`${o.jitterMs}ms`);
  }
  if (o.lossPct !== undefined) args.push('loss', `${o.lossPct}%`);
  if (args.length === 0) throw new RangeError('netem needs lossPct, delayMs or jitterMs');
  return args;
}

/**
 * netem on a link. netem shapes egress only, so "both directions" means a qdisc on the host's
 * interface (host → switch) and one on the switch port (switch → host).
 */
export async function applyNetem(t: LinkTarget, o: NetemOptions): Promise<Impairment> {
  const dir = o.direction ?? 'both';
  const sides: { netns: string; dev: string }[] = [];
  if (dir !== 'in') sides.push({ netns: t.hostNetns, dev: t.link.ifname });
  if (dir !== 'out') sides.push({ netns: t.switchNetns, dev: t.link.port });
  const args = netemArgs(o);
  const applied: typeof sides = [];
  const undo = async () => {
    for (const s of applied) {
      await run('tc', ['qdisc', 'del', 'dev', s.dev, 'root'], { netns: s.netns }).catch((e) => {
        // Already gone (link deleted, lab destroyed): nothing left to undo.
        if (!(e instanceof CommandError)) throw e;
      });
    }
  };
  try {
    for (const s of sides) {
      await run('tc', ['qdisc', 'replace', 'dev', s.dev, 'root', 'netem', ...args], { netns: s.netns });
      applied.push(s);
    }
  } catch (err) {
    await undo();
    if (err instanceof CommandError && /qdisc kind is unknown/.test(err.stderr)) return netemMissing(t, o, dir, err);
    throw err;
  }
  return impairment(`netem ${args.join(' ')} on ${t.host}:${t.link.ifname} (${dir})`, undo);
}

/**
 * Some kernels (e.g. minimal VM kernels) ship without sch_netem. Random loss can still be emulated
 * in the switch with nft `numgen random` on the port, both directions; delay and jitter cannot.
 */
async function netemMissing(t: LinkTarget, o: NetemOptions, dir: string, cause: CommandError): Promise<Impairment> {
  if (o.delayMs !== undefined || o.jitterMs !== undefined || o.lossPct === undefined) {
    throw new PlatformError(
      'this kernel has no netem qdisc (sch_netem): delay and jitter are unavailable; loss falls back to nft',
      'ENETEM',
      { cause },
    );
  }
  const pct = Math.max(0, Math.round(o.lossPct));
  // numgen values are 0..99, so "< 100" does not parse: 100% is an unconditional drop.
  const random = pct >= 100 ? '' : ` numgen random mod 100 < ${pct}`;
  const rules: string[] = [];
  if (dir !== 'in') rules.push(`iifname "${t.link.port}"${random}`);
  if (dir !== 'out') rules.push(`oifname "${t.link.port}"${random}`);
  const table = `${t.nftTablePrefix}l${t.link.hostIndex}x${t.link.linkIndex}`;
  return nftDropTable(
    t.switchNetns,
    table,
    rules,
    `loss ${pct}% (nft, no netem) on ${t.host}:${t.link.ifname} (${dir})`,
  );
}

/** Whether the kernel has the netem qdisc (probed once per namespace on a throw-away dummy-free qdisc). */
export async function netemSupported(netns: string): Promise<boolean> {
  try {
    await run('tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '0ms'], { netns });
    await run('tc', ['qdisc', 'del', 'dev', 'lo', 'root'], { netns });
    return true;
  } catch (err) {
    if (err instanceof CommandError && /qdisc kind is unknown/.test(err.stderr)) return false;
    throw err;
  }
}
