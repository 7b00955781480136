import { dirName } from './glob.js';

/**
 * keepalived's parameter definitions (lib/parser.c check_definition() / replace_param() in 2.2.7):
 * - `$NAME=value` at the start of a line (after an `@ID` prefix) defines NAME; no blank before `=`,
 *   blanks after it are skipped, later definitions replace earlier ones. Definitions are global: one made
 *   in an included file is seen by every later line.
 * - a value ending in `\` continues on the next lines (each ending in `\`, the last one without): a
 *   multi-line definition, which expands into several lines and only where the reference ends the line.
 * - `$NAME` (followed by a blank, `,`, `)` or the end of the line) and `${NAME}` anywhere in a line are
 *   replaced by the value, and the result is scanned again (values may use other parameters). An
 *   undefined `$NAME` stays as written.
 * - built-ins: `${_PWD}` (directory of the file being read), `${_INSTANCE}` (the config id, `-i`),
 *   `${_RANDOM [MIN [MAX]]}` (default 0..32767), `${_HASH}` (#) and `${_BANG}` (!).
 */
export interface ParamDefinition {
  /** Value lines: one for an ordinary definition, more for a multi-line one. */
  lines: string[];
  multiline: boolean;
}

export interface ParamContext {
  file: string;
  configId?: string;
  random?: () => number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
/** keepalived gives up on a line after this many replacements (a definition that refers to itself). */
export const MAX_REPLACEMENTS = 1000;

export class ParamDefs {
  private readonly defs = new Map<string, ParamDefinition>();

  /** The definition on this line, if it is one (`text` starts after any `@ID` prefix). */
  static parseDefinition(text: string): { name: string; value: string } | undefined {
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)=[ \t]*(.*)$/s.exec(text);
    return m ? { name: m[1] as string, value: (m[2] as string).replace(/[ \t]+$/, '') } : undefined;
  }

  define(name: string, value: string, multiline: boolean): ParamDefinition {
    const def: ParamDefinition = { lines: multiline && value === '' ? [] : [value], multiline };
    this.defs.set(name, def);
    return def;
  }

  /**
   * Expands the references in `line`. Returns the resulting lines (several when a multi-line definition
   * was used), or an error message when the expansion does not terminate. `at` maps each character of
   * the result to its index in `line`, or for substituted text to ~(index of the reference's `$`).
   */
  expand(line: string, ctx: ParamContext): { lines: { text: string; at: number[] }[] } | { error: string } {
    let text = line;
    let at = [...line].map((_, i) => i);
    const extra: { text: string; at: number[] }[] = [];
    let from = 0;
    let count = 0;
    for (;;) {
      const i = text.indexOf('$', from);
      if (i < 0 || i + 1 >= text.length) break;
      const ref = this.reference(text, i, ctx);
      if (ref === undefined) {
        from = i + 1;
        continue;
      }
      if (++count > MAX_REPLACEMENTS) {
        return {
          error: `parameter expansion does not end after ${MAX_REPLACEMENTS} replacements (a definition uses itself?)`,
        };
      }
      // Substituted characters carry ~(index of their `$` in `line`), so they are told from kept ones.
      const origin = (at[i] as number) >= 0 ? ~(at[i] as number) : (at[i] as number);
      const [first = '', ...rest] = ref.lines;
      text = text.slice(0, i) + first + text.slice(ref.end);
      at = [...at.slice(0, i), ...[...first].map(() => origin), ...at.slice(ref.end)];
      for (const l of rest) extra.push({ text: l, at: [...l].map(() => origin) });
      // Like keepalived, rescan from the replacement so a value may refer to other parameters.
      from = i;
      if (first.trimStart().startsWith('~')) break;
    }
    return { lines: [{ text, at }, ...extra] };
  }

  /** The reference starting at the `$` at index i, if it names a definition. */
  private reference(text: string, i: number, ctx: ParamContext): { lines: string[]; end: number } | undefined {
    const braces = text[i + 1] === '{';
    const nameStart = i + (braces ? 2 : 1);
    const name = NAME.exec(text.slice(nameStart))?.[0];
    if (name === undefined) return undefined;
    let end = nameStart + name.length;
    let params: number[] = [];
    if (braces) {
      const close = text.indexOf('}', end);
      if (close < 0) return undefined;
      const inner = text.slice(end, close);
      if (inner !== '' && !/^( +\d+)+$/.test(inner)) return undefined;
      params = inner.trim() === '' ? [] : inner.trim().split(/ +/).map(Number);
      end = close + 1;
    } else if (end < text.length && !' \t,)'.includes(text[end] as string)) return undefined;
    const atEnd = end === text.length;
    const builtin = this.builtin(name, params, ctx);
    if (builtin !== undefined) return { lines: [builtin], end };
    const def = this.defs.get(name);
    if (def === undefined || params.length > 0 || (def.multiline && !atEnd)) return undefined;
    return { lines: def.lines.length > 0 ? def.lines : [''], end };
  }

  private builtin(name: string, params: number[], ctx: ParamContext): string | undefined {
    if (this.defs.has(name)) return undefined; // a user definition overrides a built-in
    switch (name) {
      case '_PWD':
        return dirName(ctx.file);
      case '_INSTANCE':
        return ctx.configId ?? '';
      case '_HASH':
        return '#';
      case '_BANG':
        return '!';
      case '_RANDOM': {
        const [min = 0, max = 32767] = params;
        const r = (ctx.random ?? Math.random)();
        return String(min + Math.floor(r * (max - min + 1)));
      }
      default:
        return undefined;
    }
  }
}
