import type { Diagnostics } from './diagnostics.js';
import { dirName, hasGlobChars, joinPath } from './glob.js';
import { type LexOptions, lex, type Token } from './lexer.js';
import { ParamDefs } from './params.js';
import type { SourcePos } from './position.js';
import type { ConfigSource } from './source.js';

/** Nesting limit for `include`. keepalived has none; a limit turns runaway includes into one clear error. */
export const MAX_INCLUDE_DEPTH = 16;

/**
 * Lexes `path` and splices the tokens of every included file in place of its `include` line, so the
 * parser sees one stream whose tokens still carry their own file, line and column.
 *
 * keepalived resolves a relative include against the directory of the including file. Plain `include`
 * tolerates patterns that match nothing (keepalived: "does not produce config errors"), so that is a
 * warning here; the checked variants (`includer`, `includem`, `includew`, `includeb`, `includea`) make it
 * an error, as include_check does.
 */
export function readTokens(
  path: string,
  source: ConfigSource,
  diags: Diagnostics,
  options: LexOptions = {},
  stack: string[] = [],
  includedFrom?: SourcePos,
): Token[] {
  let text: string;
  try {
    text = source.read(path);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    diags.error(includedFrom ?? { file: path, line: 0, column: 0 }, `cannot read ${path}: ${reason}`, 'include');
    return [];
  }
  // Included files are read where the include line is, sharing the `$NAME=` definitions, so a
  // definition in an included file applies to the lines after the include (as in keepalived).
  const shared: LexOptions = { ...options, params: options.params ?? new ParamDefs() };
  const include = (token: Token): Token[] => {
    const out: Token[] = [];
    for (const file of expandInclude(token, path, source, diags)) {
      if (file === path || stack.includes(file)) {
        diags.error(token.pos, `include cycle: ${[...stack, path, file].join(' -> ')}`, 'include');
        continue;
      }
      if (stack.length + 1 >= MAX_INCLUDE_DEPTH) {
        diags.error(token.pos, `includes nested deeper than ${MAX_INCLUDE_DEPTH} levels at ${file}`, 'include');
        continue;
      }
      out.push(...readTokens(file, source, diags, shared, [...stack, path], token.pos));
    }
    return out;
  };
  return lex(text, path, diags, { ...shared, include });
}

function expandInclude(token: Token, includingFile: string, source: ConfigSource, diags: Diagnostics): string[] {
  const pattern = stripQuotes(token.value);
  const kind = token.includeKind ?? 'include';
  if (pattern === '') {
    diags.error(token.pos, `${kind} needs a file name or pattern`, kind);
    return [];
  }
  if (pattern.includes('{')) {
    diags.warning(token.pos, `brace expansion in '${pattern}' is not supported by vrrpd`, kind);
  }
  const baseDir = dirName(includingFile);
  let files: string[];
  try {
    files = source.glob(pattern, baseDir);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    diags.error(token.pos, `cannot expand include pattern '${pattern}': ${reason}`, kind);
    return [];
  }
  if (files.length === 0) {
    const wildcard = hasGlobChars(pattern);
    // include_check semantics: 'match' ignores wildcard patterns, 'wildcard_match' (w, a) does not.
    const strict = kind === 'includea' || kind === 'includew' || (!wildcard && kind !== 'include');
    const where = joinPath(baseDir, pattern);
    if (strict) diags.error(token.pos, `include '${pattern}' matched no files (${where})`, kind);
    else diags.warning(token.pos, `include '${pattern}' matched no files (${where})`, kind);
  }
  return files;
}

function stripQuotes(s: string): string {
  const m = /^"(.*)"$/.exec(s) ?? /^'(.*)'$/.exec(s);
  return m ? (m[1] as string) : s;
}
