import type { Diagnostics } from './diagnostics.js';
import { checkKeyword } from './keywords.js';
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
}

interface Chars {
  text: string[];
  pos: { line: number; column: number }[];
}

export function lex(source: string, file: string, diags: Diagnostics, options: LexOptions = {}): Token[] {
  const lines = source.replace(/^\uFEFF/, '').split('\n');
  const tokens: Token[] = [];
  let lineIndex = 0;
  while (lineIndex < lines.length) {
    // Gather one logical line, joining continuation lines ending in an unescaped, uncommented '\'.
    const chars: Chars = { text: [], pos: [] };
    let continued = true;
    while (continued && lineIndex < lines.length) {
      const raw = (lines[lineIndex] as string).replace(/\r$/, '');
      const lineNo = lineIndex + 1;
      lineIndex++;
      continued = decomment(raw, lineNo, chars, file, diags);
    }
    lexLogicalLine(chars, file, diags, options, tokens);
  }
  return tokens;
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
  let start = 0;
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\f' || c === '\v';
  while (start < chars.text.length && isBlank(chars.text[start])) start++;
  if (start >= chars.text.length) return;
  const at = (i: number): SourcePos => {
    const p = chars.pos[Math.min(i, chars.pos.length - 1)] as { line: number; column: number };
    return { file, line: p.line, column: p.column };
  };
  const textFrom = (i: number) => chars.text.slice(i).join('');

  // Conditional configuration: `@ID rest` / `@^ID rest`.
  if (chars.text[start] === '@') {
    const invert = chars.text[start + 1] === '^';
    let i = start + (invert ? 2 : 1);
    let id = '';
    while (i < chars.text.length && !isBlank(chars.text[i])) id += chars.text[i++];
    while (i < chars.text.length && isBlank(chars.text[i])) i++;
    if (i >= chars.text.length) return;
    const matches = options.configId !== undefined && options.configId === id;
    if (matches === invert) return;
    start = i;
  }

  const rest = textFrom(start);
  if (rest.startsWith('$')) {
    diags.error(at(start), 'parameter definitions ($NAME=...) are not supported by vrrpd', '$');
    return;
  }
  if (rest.startsWith('~SEQ') || rest.startsWith('~LST')) {
    checkKeyword('top', rest.slice(0, 4), at(start), diags);
    return;
  }
  const inc = /^(include[rmwba]?)[ \t]+(.*)$/.exec(rest.replace(/\u0000/g, ''));
  if (inc) {
    const pattern = (inc[2] as string).trim();
    tokens.push({
      kind: 'include',
      value: pattern,
      quoted: false,
      pos: at(start),
      includeKind: inc[1] as string,
    });
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
