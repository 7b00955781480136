import type { Diagnostics } from './diagnostics.js';
import type { GarpExtraIf, ScriptCommand } from './model.js';
import type { Arg, Statement } from './tree.js';

/** Value readers shared by the block builders. Each reports its own error and returns undefined. */

export function arg(stmt: Statement, index: number): Arg | undefined {
  return stmt.args[index];
}

export function requireArg(stmt: Statement, index: number, diags: Diagnostics, what = 'a value'): Arg | undefined {
  const a = stmt.args[index];
  if (a === undefined) diags.error(stmt.pos, `'${stmt.keyword}' needs ${what}`, stmt.keyword);
  return a;
}

/** An integer in [min, max]; keepalived's read_int/read_unsigned reject anything else. */
export function readInt(
  stmt: Statement,
  index: number,
  min: number,
  max: number,
  diags: Diagnostics,
): number | undefined {
  const a = requireArg(stmt, index, diags, `an integer (${min}..${max})`);
  if (a === undefined) return undefined;
  if (!/^[-+]?\d+$/.test(a.value)) {
    diags.error(stmt.pos, `${stmt.keyword} '${a.value}' is not an integer`, stmt.keyword);
    return undefined;
  }
  const n = Number(a.value);
  if (n < min || n > max) {
    diags.error(stmt.pos, `${stmt.keyword} ${a.value} is out of range [${min}, ${max}]`, stmt.keyword);
    return undefined;
  }
  return n;
}

/** keepalived's <TIMER> / read_decimal_unsigned syntax: a non-negative decimal, no sign, no exponent. */
export const DECIMAL_SECONDS = /^(\d+(\.\d*)?|\.\d+)$/;

/** A non-negative decimal number of seconds (keepalived's <TIMER>/read_decimal_unsigned) in [min, max]. */
export function readDecimal(
  stmt: Statement,
  index: number,
  min: number,
  max: number,
  diags: Diagnostics,
): number | undefined {
  const a = requireArg(stmt, index, diags, `a number (${min}..${max})`);
  if (a === undefined) return undefined;
  if (!DECIMAL_SECONDS.test(a.value)) {
    diags.error(stmt.pos, `${stmt.keyword} '${a.value}' is not a valid number`, stmt.keyword);
    return undefined;
  }
  const n = Number(a.value);
  if (n < min || n > max) {
    diags.error(stmt.pos, `${stmt.keyword} ${a.value} is out of range [${min}, ${max}]`, stmt.keyword);
    return undefined;
  }
  return n;
}

/**
 * `garp_extra_if [all] N` / `vrrp_garp_extra_if [all] N` (keepalived vrrp_garp_extra_if_handler): `all` and
 * a number of seconds (0..86400) in any order; 0 turns it off. The pre-2.2.3 names `vmac_garp_intvl` /
 * `vrrp_vmac_garp_intvl` still work, with a deprecation warning as in keepalived.
 */
export function readGarpExtraIf(stmt: Statement, diags: Diagnostics): GarpExtraIf | undefined {
  if (stmt.keyword.endsWith('vmac_garp_intvl')) {
    const now = stmt.keyword.startsWith('vrrp_') ? 'vrrp_garp_extra_if' : 'garp_extra_if';
    diags.warning(stmt.pos, `'${stmt.keyword}' is deprecated - please use '${now}'`, stmt.keyword);
  }
  let all = false;
  let intervalS: number | undefined;
  for (const a of stmt.args) {
    if (a.value === 'all') all = true;
    else if (/^\d+$/.test(a.value) && Number(a.value) <= 86400) intervalS = Number(a.value);
    else {
      diags.error(a.pos, `${stmt.keyword} '${a.value}' is not 'all' or a number of seconds (0..86400)`, stmt.keyword);
      return undefined;
    }
  }
  if (intervalS === undefined) {
    diags.error(stmt.pos, `${stmt.keyword} needs a number of seconds`, stmt.keyword);
    return undefined;
  }
  return { intervalS, all };
}

/** `KEYWORD [<BOOL>]`: no value means true (keepalived's check_true_false). */
export function readOptionalBool(stmt: Statement, index: number, diags: Diagnostics): boolean | undefined {
  const a = stmt.args[index];
  if (a === undefined) return true;
  const v = a.value.toLowerCase();
  if (v === 'on' || v === 'true' || v === 'yes') return true;
  if (v === 'off' || v === 'false' || v === 'no') return false;
  diags.error(stmt.pos, `${stmt.keyword}: '${a.value}' is not one of on|off|true|false|yes|no`, stmt.keyword);
  return undefined;
}

/** Warns about values a flag-style keyword does not take. */
export function noArgs(stmt: Statement, diags: Diagnostics): void {
  const extra = stmt.args[0];
  if (extra !== undefined)
    diags.warning(extra.pos, `'${stmt.keyword}' takes no value; '${extra.value}' ignored`, stmt.keyword);
}

/**
 * Splits a script string like keepalived does for execution: blanks separate words and single quotes
 * keep spaces (double quotes were already removed by the lexer).
 */
export function splitArgv(command: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote = false;
  for (const c of command) {
    if (c === "'") {
      quote = !quote;
      inWord = true;
    } else if (!quote && (c === ' ' || c === '\t')) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/** `KEYWORD <STRING>|<QUOTED-STRING> [username [groupname]]`. */
export function readScript(stmt: Statement, index: number, diags: Diagnostics): ScriptCommand | undefined {
  const a = requireArg(stmt, index, diags, 'a script');
  if (a === undefined) return undefined;
  const cmd: ScriptCommand = { command: a.value, argv: splitArgv(a.value), pos: stmt.pos };
  const user = stmt.args[index + 1];
  const group = stmt.args[index + 2];
  if (user) cmd.user = user.value;
  if (group) cmd.group = group.value;
  const extra = stmt.args[index + 3];
  if (extra) {
    diags.warning(
      extra.pos,
      `${stmt.keyword}: unexpected '${extra.value}' after user and group (quote a script that has arguments)`,
      stmt.keyword,
    );
  }
  return cmd;
}

/** Reports a block given to a keyword that does not take one, or a missing block. */
export function expectBlock(stmt: Statement, diags: Diagnostics): Statement[] {
  if (stmt.block === undefined) {
    diags.error(stmt.pos, `'${stmt.keyword}' needs a '{ }' block`, stmt.keyword);
    return [];
  }
  return stmt.block;
}

export function expectNoBlock(stmt: Statement, diags: Diagnostics): void {
  if (stmt.block !== undefined)
    diags.error(stmt.blockPos ?? stmt.pos, `'${stmt.keyword}' does not take a '{ }' block`, stmt.keyword);
}
