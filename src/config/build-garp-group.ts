import type { Diagnostics } from './diagnostics.js';
import { checkKeyword, unknownKeywordMessage } from './keywords.js';
import type { GarpGroup } from './model.js';
import type { Statement } from './tree.js';
import { expectBlock, expectNoBlock, readDecimal, requireArg } from './values.js';

/**
 * `garp_group { garp_interval D  gna_interval D  interface IF | interfaces { IF ... } }` (keepalived 2.2.7
 * vrrp_parser.c garp_group_*_handler). `interface` gives one interface its own intervals; `interfaces` makes
 * several share them (they lead to the same switch). An interface already in a group stays in the first one,
 * with keepalived's message. Intervals not given are the global vrrp_garp_interval / vrrp_gna_interval.
 */
export function buildGarpGroup(stmt: Statement, taken: Set<string>, diags: Diagnostics): GarpGroup {
  const group: GarpGroup = { interfaces: [], aggregate: false, pos: stmt.pos };
  const join = (ifname: string, s: Statement) => {
    if (taken.has(ifname)) {
      diags.warning(s.pos, `garp_group already specified for ${ifname} - ignoring`, s.keyword);
      return;
    }
    taken.add(ifname);
    group.interfaces.push(ifname);
  };
  for (const s of expectBlock(stmt, diags)) {
    if (checkKeyword('garp_group', s.keyword, s.pos, diags) === undefined) {
      diags.error(s.pos, unknownKeywordMessage(s.keyword, 'garp_group'), s.keyword);
      continue;
    }
    switch (s.keyword) {
      case 'garp_interval':
        group.garpIntervalS = readDecimal(s, 0, 0, 2147, diags) ?? group.garpIntervalS;
        break;
      case 'gna_interval':
        group.gnaIntervalS = readDecimal(s, 0, 0, 2147, diags) ?? group.gnaIntervalS;
        break;
      case 'interface': {
        expectNoBlock(s, diags);
        const a = requireArg(s, 0, diags, 'an interface name');
        if (a) join(a.value, s);
        break;
      }
      case 'interfaces': {
        const lines = expectBlock(s, diags);
        if (lines.length === 0) diags.warning(s.pos, 'empty garp_group interfaces block', s.keyword);
        group.aggregate = true;
        for (const line of lines) for (const name of [line.keyword, ...line.args.map((x) => x.value)]) join(name, s);
        break;
      }
    }
  }
  return group;
}
