import type { Diagnostics } from './diagnostics.js';
import type { Token } from './lexer.js';
import type { SourcePos } from './position.js';

/** One word of a statement, with where it came from. */
export interface Arg {
  value: string;
  quoted: boolean;
  pos: SourcePos;
}

/**
 * One keepalived statement: a keyword, its values on the same logical line, and an optional `{ }` block.
 * Lines inside value blocks (`virtual_ipaddress { 10.0.0.1/24 dev eth0 }`) are statements too: the
 * address is the keyword and the options are the args.
 */
export interface Statement {
  keyword: string;
  pos: SourcePos;
  args: Arg[];
  block?: Statement[];
  /** Position of the `{` that opened the block. */
  blockPos?: SourcePos;
}

/**
 * Builds the statement tree. Like keepalived's process_stream(), the `{` may be on the keyword's line or
 * on the next non-empty line. An unmatched `}` is an error ("Extra '}' found" in keepalived), as is a
 * block still open at end of input.
 */
export function buildTree(tokens: Token[], diags: Diagnostics): Statement[] {
  let i = 0;

  const skipEol = () => {
    while (i < tokens.length && tokens[i]?.kind === 'eol') i++;
  };

  const parseBlock = (opener: SourcePos | undefined): Statement[] => {
    const out: Statement[] = [];
    for (;;) {
      skipEol();
      const t = tokens[i];
      if (t === undefined) {
        if (opener) diags.error(opener, `missing '}' for the block opened at line ${opener.line}`);
        return out;
      }
      if (t.kind === '}') {
        i++;
        if (opener) return out;
        diags.error(t.pos, "extra '}' found");
        continue;
      }
      if (t.kind === '{') {
        // A block with no keyword in front of it: keepalived says "Unexpected '{' - ignoring" and
        // skips the '{' only; parse its contents and report it once.
        diags.error(t.pos, "unexpected '{' without a keyword");
        i++;
        parseBlock(t.pos);
        continue;
      }
      // word (include tokens never reach here; the reader consumes them)
      const stmt: Statement = { keyword: t.value, pos: t.pos, args: [] };
      i++;
      while (tokens[i]?.kind === 'word') {
        const w = tokens[i] as Token;
        stmt.args.push({ value: w.value, quoted: w.quoted, pos: w.pos });
        i++;
      }
      // Look for an opening brace on this line or on the next non-empty line.
      let j = i;
      while (tokens[j]?.kind === 'eol') j++;
      const next = tokens[j];
      if (next?.kind === '{') {
        i = j + 1;
        stmt.blockPos = next.pos;
        stmt.block = parseBlock(next.pos);
      }
      out.push(stmt);
    }
  };

  return parseBlock(undefined);
}
