import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { KEYWORDS, type KeywordContext, lookupKeyword } from '../../../src/config/keyword-registry.js';
import { parseConfigText } from '../../../src/config/parse.js';

/**
 * The keyword registry against keepalived 2.2.7 and against the parser: every keyword keepalived accepts
 * is in it, the parser accepts exactly the registry's keywords in each block it reads, every keyword that
 * does not work warns with its position, and every `works` names a test that exists.
 */

const FIXTURE = 'test/fixtures/config/keepalived-2.2.7-keywords.txt';
const keepalivedKeywords = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => {
    const [context, keyword] = l.split(' ') as [KeywordContext, string];
    return { context, keyword };
  });

const INSTANCE_TAIL = '  interface eth0\n  virtual_router_id 1\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n';

/** A config with `kw` on line 2 of the block that reads `context` (probe at line 2, column `col`). */
const probes: Partial<Record<KeywordContext, { text: (kw: string) => string; col: number; unknown: string }>> = {
  top: { text: (kw) => `\n${kw} arg {\n}\n`, col: 1, unknown: 'unknown keyword' },
  global_defs: { text: (kw) => `global_defs {\n  ${kw} 1\n}\n`, col: 3, unknown: 'unknown keyword' },
  vrrp_instance: {
    text: (kw) => `vrrp_instance VI_1 {\n  ${kw} 1\n${INSTANCE_TAIL}`,
    col: 3,
    unknown: 'unknown keyword',
  },
  authentication: {
    text: (kw) => `vrrp_instance VI_1 {\n  authentication { ${kw} PASS\n  }\n${INSTANCE_TAIL}`,
    col: 20,
    unknown: 'unknown keyword',
  },
  vrrp_sync_group: {
    text: (kw) => `vrrp_sync_group G {\n  ${kw} 1\n  group {\n    VI_1\n  }\n}\nvrrp_instance VI_1 {\n${INSTANCE_TAIL}`,
    col: 3,
    unknown: 'unknown keyword',
  },
  vrrp_script: {
    text: (kw) => `vrrp_script s {\n  ${kw} 1\n  script /bin/true\n}\n`,
    col: 3,
    unknown: 'unknown keyword',
  },
  track_file: { text: (kw) => `track_file f {\n  ${kw} 1\n  file /tmp/f\n}\n`, col: 3, unknown: 'unknown keyword' },
  virtual_ipaddress: {
    text: (kw) => `vrrp_instance VI_1 {\n  virtual_ipaddress { 10.0.0.2 ${kw} x\n  }\n${INSTANCE_TAIL}`,
    col: 32,
    unknown: 'unknown option',
  },
  unicast_peer: {
    text: (kw) => `vrrp_instance VI_1 {\n  unicast_peer { 10.0.0.2 ${kw} 1\n  }\n${INSTANCE_TAIL}`,
    col: 27,
    unknown: 'unknown option',
  },
  track_line: {
    text: (kw) => `vrrp_instance VI_1 {\n  track_interface { eth1 ${kw} 1\n  }\n${INSTANCE_TAIL}`,
    col: 26,
    unknown: 'unexpected',
  },
};

const LINE_DIRECTIVES = new Set(['include', '~SEQ', '~LST', '$NAME=']);

/** Every word that might be a keyword: the registry's, keepalived's, and every `case '...'` of the parser. */
function candidates(): Set<string> {
  const words = new Set<string>([...KEYWORDS.map((e) => e.keyword), ...keepalivedKeywords.map((k) => k.keyword)]);
  for (const f of readdirSync('src/config')) {
    for (const m of readFileSync(join('src/config', f), 'utf8').matchAll(/case '([^']+)'/g)) words.add(m[1] as string);
  }
  words.add('no_such_keyword');
  words.add('nodad');
  return words;
}

describe('keyword registry', () => {
  test('lists every keyword keepalived 2.2.7 accepts, once per block', () => {
    const missing = keepalivedKeywords.filter((k) => lookupKeyword(k.context, k.keyword) === undefined);
    expect(missing).toEqual([]);
    const keys = KEYWORDS.map((e) => `${e.context} ${e.keyword}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  test('no entry is `works` without an existing test file under test/, and every entry has a note', () => {
    const bad = KEYWORDS.filter(
      (e) => e.status === 'works' && (e.test === undefined || !e.test.startsWith('test/') || !existsSync(e.test)),
    );
    expect(bad).toEqual([]);
    expect(KEYWORDS.filter((e) => e.note.trim() === '')).toEqual([]);
  });

  for (const [context, probe] of Object.entries(probes) as [KeywordContext, NonNullable<(typeof probes)['top']>][]) {
    test(`${context}: the parser accepts exactly the registry's keywords; the ones that do not work warn at FILE:LINE:COL`, () => {
      const wrong: string[] = [];
      for (const kw of candidates()) {
        // The reader handles these on any line, before any block sees them.
        if (context !== 'top' && LINE_DIRECTIVES.has(kw)) continue;
        const { diagnostics } = parseConfigText(probe.text(kw), 'k.conf');
        const accepted = !diagnostics.some((d) => d.message.includes(`${probe.unknown} '${kw}'`));
        const entry = lookupKeyword(context, kw);
        if (accepted !== (entry !== undefined)) wrong.push(`${kw}: parser ${accepted ? 'accepts' : 'rejects'} it`);
        if (entry === undefined || entry.status === 'works') continue;
        const severity = entry.status === 'warned' ? 'warning' : 'error';
        const said = diagnostics.some(
          (d) =>
            d.severity === severity &&
            d.keyword === kw &&
            d.line === 2 &&
            d.column === probe.col &&
            d.message.includes(`'${kw}'`) &&
            d.message.includes(entry.note),
        );
        if (!said) wrong.push(`${kw}: no ${severity} at k.conf:2:${probe.col} (${JSON.stringify(diagnostics)})`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
