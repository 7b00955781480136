/**
 * The daemon's nftables table for Accept_Mode False (RFC 5798 §6.1; keepalived's `no_accept`, implied by
 * `vrrp_strict` for non-owners). Same shape as keepalived 2.2.7's `keepalived` table, under the name
 * `vrrpd`: a set of VIPs, an input hook that drops packets addressed to them and an output hook that drops
 * packets sent from them, both at priority -1 with policy accept. ARP is not IP, so the Master still
 * answers ARP for the VIP; IPv6 neighbour solicitations/adverts are accepted before the drop.
 * The set holds a VIP only while its instance is Master.
 *
 * Driven through `nft -f -` (one atomic transaction per call): nf_tables has no rtnetlink-style message
 * set that the addon speaks. Synchronous, because on becoming Master the drop must be in place before the
 * VIP is added.
 */
import { execFileSync } from 'node:child_process';
import { CommandError } from '../util/errors.js';

export const NFT_TABLE = 'vrrpd';

const fam = (f: 4 | 6): string => (f === 4 ? 'ip' : 'ip6');

/** The ruleset text for one family (exported for unit tests). */
export function tableRuleset(family: 4 | 6, table = NFT_TABLE): string {
  const t = `${fam(family)} ${table}`;
  const addr = family === 4 ? 'ip' : 'ip6';
  const nd = family === 6 ? '    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n' : '';
  return [
    `table ${t} {`,
    `  set vips { type ${family === 4 ? 'ipv4_addr' : 'ipv6_addr'}; }`,
    '  chain in {',
    '    type filter hook input priority -1; policy accept;',
    `${nd}    ${addr} daddr @vips drop`,
    '  }',
    '  chain out {',
    '    type filter hook output priority -1; policy accept;',
    `${nd}    ${addr} saddr @vips drop`,
    '  }',
    '}',
    '',
  ].join('\n');
}

function nft(script: string, tolerate?: RegExp): void {
  try {
    execFileSync('nft', ['-f', '-'], { input: script, stdio: ['pipe', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as { status?: number; stderr?: Buffer; code?: string };
    const stderr = e.stderr?.toString() ?? '';
    if (tolerate?.test(stderr)) return;
    throw new CommandError('nft', ['-f', '-'], e.status ?? undefined, stderr || e.code || String(err), undefined, {
      cause: err,
    });
  }
}

/** Creates the family's table, replacing one a previous run left (keepalived deletes its old table too). */
export function createAcceptTable(family: 4 | 6, table = NFT_TABLE): void {
  nft(`table ${fam(family)} ${table}\ndelete table ${fam(family)} ${table}\n${tableRuleset(family, table)}`);
}

export function deleteAcceptTable(family: 4 | 6, table = NFT_TABLE): void {
  nft(`delete table ${fam(family)} ${table}\n`, /No such file or directory/);
}

export function blockVips(family: 4 | 6, vips: readonly string[], table = NFT_TABLE): void {
  if (vips.length === 0) return;
  nft(`add element ${fam(family)} ${table} vips { ${vips.join(', ')} }\n`);
}

export function unblockVips(family: 4 | 6, vips: readonly string[], table = NFT_TABLE): void {
  // One element per command: a missing element fails only its own line's transaction.
  for (const v of vips) nft(`delete element ${fam(family)} ${table} vips { ${v} }\n`, /No such file or directory/);
}
