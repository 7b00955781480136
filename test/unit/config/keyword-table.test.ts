import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { KEYWORDS } from '../../../src/config/keyword-registry.js';
import { renderKeywordTable, replaceKeywordTable, TABLE_END, TABLE_START } from '../../../src/config/keyword-table.js';

describe("README's keyword table", () => {
  test('is the one generated from the registry (run `npm run gen:keyword-table` after changing it)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(replaceKeywordTable(readme, renderKeywordTable(KEYWORDS))).toBe(readme);
  });

  test('lists every keyword once, with its status and the test a `works` row names', () => {
    const table = renderKeywordTable(KEYWORDS);
    for (const e of KEYWORDS) {
      const block = e.context === 'top' ? '(top level)' : e.context;
      const row = table
        .split('\n')
        .find((l) => l.includes(`\`${e.keyword}\``) && l.includes(`| ${block} | ${e.status} |`));
      expect(row, `${e.context} ${e.keyword}`).toBeDefined();
      if (e.test) expect(row).toContain(`(${e.test})`);
    }
  });

  test('only the text between the markers is replaced', () => {
    const doc = `# A\n\nbefore\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`;
    expect(replaceKeywordTable(doc, 'NEW')).toBe(`# A\n\nbefore\n${TABLE_START}\n\nNEW\n\n${TABLE_END}\nafter\n`);
    expect(() => replaceKeywordTable('# no markers', 'x')).toThrow(/keyword-table:start/);
  });
});
