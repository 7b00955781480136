// Rewrites the keyword table of README.md from the keyword registry (src/config/keyword-registry.ts).
// Run through `npm run gen:keyword-table`, which builds dist/ first.
import { readFileSync, writeFileSync } from 'node:fs';
import { KEYWORDS } from '../dist/src/config/keyword-registry.js';
import { renderKeywordTable, replaceKeywordTable } from '../dist/src/config/keyword-table.js';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = replaceKeywordTable(before, renderKeywordTable(KEYWORDS));
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'README.md keyword table is up to date' : 'README.md keyword table rewritten');
