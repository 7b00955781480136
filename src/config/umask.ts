import type { Diagnostics } from './diagnostics.js';
import type { Statement } from './tree.js';

const BITS: Record<string, number> = {
  IRUSR: 0o400,
  IWUSR: 0o200,
  IXUSR: 0o100,
  IRGRP: 0o040,
  IWGRP: 0o020,
  IXGRP: 0o010,
  IROTH: 0o004,
  IWOTH: 0o002,
  IXOTH: 0o001,
};

/**
 * global_defs `umask NUMBER|BITS` (keepalived 2.2.7 umask_handler): a number in C's strtol base 0 (0x.. hex,
 * 0.. octal, else decimal) within 0777, or I{R,W,X}{USR,GRP,OTH} names joined by `|` (spaces allowed around
 * them). keepalived reports a bad value and keeps its default; vrrpd makes it an error with the position.
 */
export function readUmask(s: Statement, diags: Diagnostics): number | undefined {
  const words = s.args.map((a) => a.value);
  const bad = (why: string) => {
    diags.error(s.pos, `umask: ${why}`, s.keyword);
    return undefined;
  };
  if (words.length === 0) return bad('missing value');
  if (/^\d/.test(words[0]!)) {
    if (words.length !== 1) return bad('extra parameters');
    const w = words[0]!;
    const n = /^0x[0-9a-f]+$/i.test(w)
      ? Number.parseInt(w, 16)
      : /^0[0-7]*$/.test(w)
        ? Number.parseInt(w, 8)
        : /^\d+$/.test(w)
          ? Number(w)
          : Number.NaN;
    if (Number.isNaN(n) || n < 0 || n > 0o777) return bad(`invalid umask value ${w}`);
    return n;
  }
  const text = words.join('');
  let bits = 0;
  for (const name of text.split('|')) {
    const b = BITS[name];
    if (b === undefined) return bad(`unknown umask bit ${name}`);
    bits |= b;
  }
  return bits;
}
