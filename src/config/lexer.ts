import type { Diagnostics } from './diagnostics.js';
import { checkKeyword } from './keywords.js';
import { type ParamContext, type ParamDefinition, ParamDefs } from './params.js';
import type { SourcePos } from './position.js';

/**
 * keepalived.conf lexer for one file. keepalived's reader (lib/parser.c, read_line/decomment/
 * alloc_strvec_quoted_escaped) is line-oriented, and this lexer follows it:
 * - `#` and `!` start a comment anywhere outside double quotes, even in the middle of a word
 *   (`priority 90#x` is `priority 90`); `\#` and `\!` are literal. Single quotes do NOT protect a comment
 *   character, because keepalived's decomment() only tracks double quotes.
 * - a trailing `\` joins the next line.
 * - a line starting with `@ID` is kept only when ID equals the config id (`keepalived -i ID`); `@^ID` inverts.
 * - `include[rmwba] PATTERN` lines become one `include` token (handled by the reader, not the parser).
 * - words are separated by blanks; `"..."` and `'...'` quote parts of a word (quotes are removed, so
 *   `ab" c"d` is one word `ab cd`); backslash escapes (\n, \t, \xHH, \NNN, \cC, \C) work in and out of quotes.
 * - `{` and `}` outside quotes are tokens of their own and also end the logical line, because keepalived
 *   splits a line at a brace (`unicast_peer { 10.0.0.1 }` is three lines to it).
 */

export type TokenKind = 'word' | '{' | '}' | 'eol' | 'include';

export interface Token {
  kind: TokenKind;
  /** Word text after quote removal and escapes; the pattern for `include`; the brace itself. */
  value: string;
  /** True if any part of the word was quoted. */
  quoted: boolean;
  pos: SourcePos;
  /** For `include` tokens: which variant (`include`, `includer`, `includea`, ...). */
  includeKind?: string;
}

export interface LexOptions {
  /** keepalived's config id (`-i`); lines prefixed `@ID` are used only when it matches. */
  configId?: string;
  /** `$NAME=` definitions, shared by a file and the files it includes (a fresh set when absent). */
  params?: ParamDefs;
  /**
   * Reads an `include` line's files and returns their tokens, spliced in place of the line, so that
   * definitions made in an included file apply to the lines after the include. Without it the
   * `include` token itself is returned.
   */
  include?: (token: Token) => Token[];
}

interface Chars {
  text: string[];
  pos: { line: number; column: number }[];
}

export function lex(source: string, file: string, diags: Diagnostics, options: LexOptions = {}): Token[] {
  const lines = source.replace(/^\uFEFF/, '').split('\n');
  const tokens: Token[] = [];
  const params = options.params ?? new ParamDefs();
  let lineIndex = 0;
  const nextLine = (chars: Chars): boolean => {
    const raw = (lines[lineIndex] as string).replace(/\r$/, '');
    lineIndex++;
    return decomment(raw, lineIndex, chars, file, diags);
  };
  // The multi-line `$NAME=... \` definition being read, if any.
  let pending: ParamDefinition | undefined;
  while (lineIndex < lines.length) {
    const chars: Chars = { text: [], pos: [] };
    let continued = nextLine(chars);
    if (pending) {
      const text = plain(chars.text).trim();
      if (text !== '') pending.lines.push(text);
      if (!continued) pending = undefined;
      continue;
    }
    const start = conditionalStart(chars, options);
    const def = start === undefined ? undefined : ParamDefs.parseDefinition(plain(chars.text.slice(start)));
    if (def) {
      const d = params.define(def.name, def.value, continued);
      if (continued) pending = d;
      continue;
    }
    // Gather the rest of the logical line: continuation lines ending in an unescaped, uncommented '\'.
    while (continued && lineIndex < lines.length) continued = nextLine(chars);
    if (start === undefined) continue;
    for (const line of expandParams(chars, start, params, { file, ...options }, diags)) {
      lexLogicalLine(line, file, diags, options, tokens);
    }
  }
  return tokens;
}

/** The text of decommented characters, with escaped comment characters as the characters themselves. */
function plain(text: string[]): string {
  return text.map((c) => (c.startsWith('\u0000') ? c.slice(1) : c)).join('');
}

/**
 * Where the line's content starts: after leading blanks and a matching `@ID` prefix (keepalived's
 * conditional configuration, `@^ID` inverts). Undefined when the line is empty or for another config id.
 */
function conditionalStart(chars: Chars, options: LexOptions): number | undefined {
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\f' || c === '\v';
  let start = 0;
  while (start < chars.text.length && isBlank(chars.text[start])) start++;
  if (start >= chars.text.length) return undefined;
  if (chars.text[start] !== '@') return start;
  const invert = chars.text[start + 1] === '^';
  let i = start + (invert ? 2 : 1);
  let id = '';
  while (i < chars.text.length && !isBlank(chars.text[i])) id += chars.text[i++];
  while (i < chars.text.length && isBlank(chars.text[i])) i++;
  if (i >= chars.text.length) return undefined;
  const matches = options.configId !== undefined && options.configId === id;
  return matches === invert ? undefined : i;
}

/**
 * The line from `start` with `$NAME` / `${NAME}` references replaced (one line, or several for a
 * multi-line definition). Substituted text takes the position of its `$`; as keepalived does, comments
 * are stripped again afterwards, so a `${_HASH}` outside quotes starts one.
 */
function expandParams(chars: Chars, start: number, params: ParamDefs, ctx: ParamContext, diags: Diagnostics): Chars[] {
  const text = chars.text.slice(start);
  const pos = chars.pos.slice(start);
  const source = plain(text);
  if (!source.includes('$')) return [{ text, pos }];
  const result = params.expand(source, ctx);
  if ('error' in result) {
    const p = pos[source.indexOf('$')] ?? pos[0];
    if (p) diags.error({ file: ctx.file, ...p }, result.error, '$');
    return [];
  }
  return result.lines.map((line) => {
    const out: Chars = { text: [], pos: [] };
    let quote = false;
    for (const [k, c] of [...line.text].entries()) {
      const from = line.at[k] as number;
      // A kept character keeps its original form (an escaped '#' stays literal); substituted text is plain.
      const element = from >= 0 ? (text[from] as string) : c;
      if (element === '"') quote = !quote;
      if (!quote && (element === '#' || element === '!')) break;
      out.text.push(element);
      out.pos.push(pos[from >= 0 ? from : ~from] as { line: number; column: number });
    }
    return out;
  });
}

/**
 * Appends the line without its comment to `out`. Returns true when the line ends with a continuation
 * backslash. Leading blanks are dropped (their columns are still tracked through `pos`).
 */
function decomment(raw: string, lineNo: number, out: Chars, file: string, diags: Diagnostics): boolean {
  let inQuote = false;
  let i = 0;
  const push = (c: string, col: number) => {
    out.text.push(c);
    out.pos.push({ line: lineNo, column: col + 1 });
  };
  while (i < raw.length) {
    const c = raw[i] as string;
    if (c === '"') {
      inQuote = !inQuote;
      push(c, i);
      i++;
      continue;
    }
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === undefined) {
        if (inQuote) diags.error({ file, line: lineNo, column: i + 1 }, 'unterminated quoted string');
        return !inQuote;
      }
      if (!inQuote && (next === '#' || next === '!')) {
        // keepalived drops the backslash here so the comment character becomes literal.
        out.text.push(`\u0000${next}`);
        out.pos.push({ line: lineNo, column: i + 1 });
      } else {
        push(c, i);
        push(next, i + 1);
      }
      i += 2;
      continue;
    }
    if (!inQuote && (c === '#' || c === '!')) break;
    push(c, i);
    i++;
  }
  if (inQuote) {
    const firstQuote = raw.indexOf('"');
    diags.error({ file, line: lineNo, column: firstQuote + 1 }, 'unterminated quoted string');
  }
  return false;
}

function lexLogicalLine(chars: Chars, file: string, diags: Diagnostics, options: LexOptions, tokens: Token[]): void {
  // A line produced by a parameter may itself start with `@ID` (keepalived checks again).
  const start = conditionalStart(chars, options);
  if (start === undefined) return;
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\f' || c === '\v';
  const at = (i: number): SourcePos => {
    const p = chars.pos[Math.min(i, chars.pos.length - 1)] as { line: number; column: number };
    return { file, line: p.line, column: p.column };
  };
  const textFrom = (i: number) => chars.text.slice(i).join('');

  const rest = textFrom(start);
  if (rest.startsWith('~SEQ') || rest.startsWith('~LST')) {
    checkKeyword('top', rest.slice(0, 4), at(start), diags);
    return;
  }
  const inc = /^(include[rmwba]?)[ \t]+(.*)$/.exec(rest.replace(/\u0000/g, ''));
  if (inc) {
    const pattern = (inc[2] as string).trim();
    const token: Token = {
      kind: 'include',
      value: pattern,
      quoted: false,
      pos: at(start),
      includeKind: inc[1] as string,
    };
    if (options.include) {
      tokens.push(...options.include(token));
      return;
    }
    tokens.push(token);
    tokens.push({ kind: 'eol', value: '', quoted: false, pos: at(chars.text.length) });
    return;
  }

  let i = start;
  while (i < chars.text.length) {
    const c = chars.text[i] as string;
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === '{' || c === '}') {
      tokens.push({ kind: c, value: c, quoted: false, pos: at(i) });
      i++;
      continue;
    }
    const wordStart = i;
    let value = '';
    let quote: string | null = null;
    let quoted = false;
    while (i < chars.text.length) {
      const ch = chars.text[i] as string;
      if (quote === null && (isBlank(ch) || ch === '{' || ch === '}')) break;
      if (ch.startsWith('\u0000')) {
        value += ch.slice(1);
        i++;
        continue;
      }
      if (ch === '\\') {
        const [decoded, used] = decodeEscape(chars.text, i + 1);
        value += decoded;
        i += 1 + used;
        continue;
      }
      if (quote !== null && ch === quote) {
        quote = null;
        i++;
        continue;
      }
      if (quote === null && (ch === '"' || ch === "'")) {
        quote = ch;
        quoted = true;
        i++;
        continue;
      }
      value += ch;
      i++;
    }
    // An open double quote was already reported by decomment(); only single quotes are new here.
    if (quote === "'") {
      diags.error(at(wordStart), `missing terminating ${quote} in ${textFrom(wordStart).trim()}`);
    }
    tokens.push({ kind: 'word', value, quoted, pos: at(wordStart) });
  }
  tokens.push({ kind: 'eol', value: '', quoted: false, pos: at(chars.text.length) });
}

/** Decodes the escape after a backslash, as keepalived does. Returns the text and how many chars it used. */
function decodeEscape(text: string[], i: number): [string, number] {
  const c = text[i];
  if (c === undefined) return ['', 0];
  const simple: Record<string, string> = { a: '\x07', b: '\b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  if (c === 'x' && /[0-9a-fA-F]/.test(text[i + 1] ?? '')) {
    let j = i + 1;
    let hex = '';
    while (/[0-9a-fA-F]/.test(text[j] ?? '')) hex += text[j++];
    // keepalived accumulates into one char, keeping the low 8 bits.
    return [String.fromCharCode(Number.parseInt(hex.slice(-2), 16)), j - i];
  }
  if (c === 'c' && text[i + 1] !== undefined) {
    return [String.fromCharCode((text[i + 1] as string).charCodeAt(0) & 0x1f), 2];
  }
  if (/[0-7]/.test(c)) {
    let j = i;
    let oct = '';
    while (j < i + 3 && /[0-7]/.test(text[j] ?? '')) oct += text[j++];
    return [String.fromCharCode(Number.parseInt(oct, 8) & 0xff), j - i];
  }
  return [simple[c] ?? c, 1];
}
