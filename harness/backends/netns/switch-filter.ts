import { run } from '../../platform/run.js';

/**
 * The seed's "switch that drops multicast": an nftables bridge-family table in the switch namespace
 * that drops VRRP multicast (224.0.0.18, ff02::12) forwarded by one bridge, with named counters so
 * a test can prove the drop happened. Unicast VRRP (the article's fix) still passes.
 * The chain is not called `fwd`: that is an nft keyword and the ruleset fails to parse (docs/quirks.md Q24).
 */
export function dropMulticastRuleset(table: string, portsBySwitch: Record<string, string[]>): string {
  const counters: string[] = [];
  const rules: string[] = [];
  for (const [sw, ports] of Object.entries(portsBySwitch)) {
    if (ports.length === 0) continue;
    // Match by input port: `meta ibrname` (input bridge) is not supported by this kernel.
    const iif = `iifname { ${ports.map((p) => `"${p}"`).join(', ')} }`;
    counters.push(`  counter ${sw}_v4 {}`, `  counter ${sw}_v6 {}`);
    rules.push(
      `    ${iif} ip daddr 224.0.0.18 counter name ${sw}_v4 drop`,
      `    ${iif} ip6 daddr ff02::12 counter name ${sw}_v6 drop`,
    );
  }
  return [
    `table bridge ${table} {`,
    ...counters,
    '  chain mcastdrop {',
    '    type filter hook forward priority 0; policy accept;',
    ...rules,
    '  }',
    '}',
    '',
  ].join('\n');
}

export async function installDropMulticast(
  netns: string,
  table: string,
  portsBySwitch: Record<string, string[]>,
  env?: Record<string, string>,
): Promise<void> {
  if (Object.values(portsBySwitch).every((p) => p.length === 0)) return;
  await run('nft', ['-f', '-'], { netns, env, input: dropMulticastRuleset(table, portsBySwitch) });
}

export interface DropCounters {
  ipv4: { packets: number; bytes: number };
  ipv6: { packets: number; bytes: number };
}

/** Read the named counters of the drop table: switch name → dropped packets/bytes per family. */
export async function readDropCounters(netns: string, table: string): Promise<Record<string, DropCounters>> {
  const { stdout } = await run('nft', ['-j', 'list', 'counters', 'table', 'bridge', table], { netns });
  const out: Record<string, DropCounters> = {};
  const parsed = JSON.parse(stdout) as { nftables: { counter?: { name: string; packets: number; bytes: number } }[] };
  for (const item of parsed.nftables) {
    const c = item.counter;
    const m = c ? /^(.*)_(v4|v6)$/.exec(c.name) : null;
    if (!c || !m?.[1]) continue;
    const entry = out[m[1]] ?? { ipv4: { packets: 0, bytes: 0 }, ipv6: { packets: 0, bytes: 0 } };
    out[m[1]] = entry;
    entry[m[2] === 'v4' ? 'ipv4' : 'ipv6'] = { packets: c.packets, bytes: c.bytes };
  }
  return out;
}
