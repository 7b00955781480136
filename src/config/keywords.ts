import type { Diagnostics } from './diagnostics.js';
import { type KeywordContext, type KeywordEntry, lookupKeyword, notHonouredMessage } from './keyword-registry.js';
import type { SourcePos } from './position.js';

/**
 * Looks a keyword up in the registry (keyword-registry.ts) and reports it when it does not work: a
 * warning for `warned`, an error for `refused`, nothing for `works`. Returns the entry, or undefined
 * when keepalived 2.2.7 does not accept the keyword there (the caller reports it as unknown).
 */
export function checkKeyword(
  context: KeywordContext,
  keyword: string,
  pos: SourcePos,
  diags: Diagnostics,
): KeywordEntry | undefined {
  const entry = lookupKeyword(context, keyword);
  if (entry?.status === 'warned') diags.warning(pos, notHonouredMessage(entry), keyword);
  else if (entry?.status === 'refused') diags.error(pos, notHonouredMessage(entry), keyword);
  return entry;
}

export function unknownKeywordMessage(keyword: string, where: string): string {
  return `unknown keyword '${keyword}' in ${where}`;
}
