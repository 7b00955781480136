import { CommandError } from '../../../../src/util/errors.js';
import { run } from '../../../platform/run.js';
import { type Impairment, impairment } from './handle.js';

const quoted = (names: readonly string[]) => `{ ${names.map((n) => `"${n}"`).join(', ')} }`;

/**
 * Install a bridge-family nft table of drop rules in the switch namespace; undo deletes the table.
 * Each impairment gets its own table (named with the run id) so undoing one leaves the others alone.
 */
export async function nftDropTable(
  netns: string,
  table: string,
  rules: string[],
  description: string,
): Promise<Impairment> {
  const ruleset = [
    `table bridge ${table} {`,
    '  chain impair {',
    // Before the switch's own filter (priority 0), so impairments apply whatever else is configured.
    '    type filter hook forward priority -10; policy accept;',
    ...rules.map((r) => `    ${r} counter drop`),
    '  }',
    '}',
    '',
  ].join('\n');
  await run('nft', ['-f', '-'], { netns, input: ruleset });
  return impairment(description, async () => {
    await run('nft', ['delete', 'table', 'bridge', table], { netns }).catch((e) => {
      if (!(e instanceof CommandError)) throw e;
    });
  });
}

/** Rules that stop all forwarding between two sets of switch ports (both directions). */
export function partitionRules(portsA: readonly string[], portsB: readonly string[]): string[] {
  return [`iifname ${quoted(portsA)} oifname ${quoted(portsB)}`, `iifname ${quoted(portsB)} oifname ${quoted(portsA)}`];
}

/** Rules that drop VRRP (IP protocol 112, v4 and v6, unicast and multicast) to and from one port. */
export function dropVrrpRules(port: string): string[] {
  return [`iifname "${port}" meta l4proto 112`, `oifname "${port}" meta l4proto 112`];
}
