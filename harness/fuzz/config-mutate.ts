import { int, type Random } from './random.js';

/**
 * Mutations of a keepalived.conf text, as plain data so a fast-check test can shrink them and the CLI can draw
 * them from a seed. Positions are fractions of the text (0 ≤ at < 1), so an op applies to any text.
 */
export type ConfigOp =
  | { kind: 'delete-token' | 'duplicate-line' | 'delete-line' | 'truncate'; at: number }
  | { kind: 'swap-lines'; at: number; to: number }
  | { kind: 'insert'; at: number; text: number }
  | { kind: 'replace-number'; at: number; value: number };

/** What goes in: structure breakers, hostile values, keywords out of place, odd bytes. */
export const INSERTS: readonly string[] = [
  '{',
  '}',
  '"',
  '#',
  '!',
  '\n',
  '\t',
  '\u0000',
  'ÿ',
  '😀',
  'include /nonexistent/*.conf',
  'include ../../etc/shadow',
  'vrrp_instance X {',
  'vrrp_instance {',
  'virtual_router_id',
  'priority 300',
  'advert_int 0',
  'interface',
  'state SOMETIMES',
  'virtual_ipaddress {\n 300.1.1.1/33\n}',
  'unicast_peer {',
  'authentication { auth_type PASS auth_pass 123456789 }',
  'track_script { nope }',
  'vrrp_sync_group G { group { NOPE } }',
  '$UNDEFINED',
  '$X=1',
  '@nohost',
  '~SEQ(1,2,100000)',
  'notify_master "/bin/sh -c rm"',
  'a'.repeat(5000),
];
export const NUMBERS: readonly string[] = [
  '-1',
  '0',
  '256',
  '65536',
  '4294967296',
  '99999999999999999999',
  '0.0001',
  '1e9',
  '0x10',
  'NaN',
  '',
];
const KINDS = [
  'delete-token',
  'duplicate-line',
  'delete-line',
  'truncate',
  'swap-lines',
  'insert',
  'replace-number',
] as const;

function lineSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '\n') {
      spans.push([start, i + (i < text.length ? 1 : 0)]);
      start = i + 1;
    }
  }
  return spans;
}

function nth<T>(xs: readonly T[], at: number): T | undefined {
  return xs.length === 0 ? undefined : xs[Math.min(xs.length - 1, Math.floor(at * xs.length))];
}

export function applyConfigOp(text: string, op: ConfigOp): string {
  switch (op.kind) {
    case 'truncate':
      return text.slice(0, Math.floor(op.at * text.length));
    case 'insert': {
      const i = Math.floor(op.at * text.length);
      return `${text.slice(0, i)} ${INSERTS[op.text % INSERTS.length]} ${text.slice(i)}`;
    }
    case 'delete-token': {
      const m = nth([...text.matchAll(/\S+/g)], op.at);
      return m ? text.slice(0, m.index) + text.slice(m.index + m[0].length) : text;
    }
    case 'replace-number': {
      const m = nth([...text.matchAll(/\b\d+(\.\d+)?\b/g)], op.at);
      return m ? text.slice(0, m.index) + NUMBERS[op.value % NUMBERS.length] + text.slice(m.index + m[0].length) : text;
    }
    case 'duplicate-line':
    case 'delete-line': {
      const s = nth(lineSpans(text), op.at);
      if (!s) return text;
      const line = text.slice(s[0], s[1]);
      return text.slice(0, s[0]) + (op.kind === 'duplicate-line' ? line + line : '') + text.slice(s[1]);
    }
    case 'swap-lines': {
      const lines = text.split('\n');
      const [i, j] = [Math.floor(op.at * lines.length), Math.floor(op.to * lines.length)];
      [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
      return lines.join('\n');
    }
  }
}

export function mutateConfig(text: string, ops: readonly ConfigOp[]): string {
  return ops.reduce(applyConfigOp, text);
}

/** 1 to 4 ops drawn from a seeded PRNG (the CLI's generator; tests draw them with fast-check). */
export function randomConfigOps(r: Random): ConfigOp[] {
  return Array.from({ length: int(r, 1, 4) }, (): ConfigOp => {
    const kind = KINDS[int(r, 0, KINDS.length - 1)] as (typeof KINDS)[number];
    const at = r();
    if (kind === 'swap-lines') return { kind, at, to: r() };
    if (kind === 'insert') return { kind, at, text: int(r, 0, INSERTS.length - 1) };
    if (kind === 'replace-number') return { kind, at, value: int(r, 0, NUMBERS.length - 1) };
    return { kind, at };
  });
}

const DIAGNOSTIC = /^[^\n]+:\d+:\d+: (error|warning): \S/;

/**
 * What is wrong with a `vrrpd -t` answer: every stderr line must be `FILE:LINE:COL: error|warning: message`,
 * and a rejection (exit 1) must name at least one error.
 */
export function configVerdictProblems(r: { stderr: string; exitCode: number }): string[] {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  const problems = lines
    .filter((l) => !DIAGNOSTIC.test(l))
    .map((l) => `not a FILE:LINE:COL diagnostic: ${l.slice(0, 200)}`);
  if (r.exitCode !== 0 && !lines.some((l) => /: error: /.test(l))) problems.push('rejected without an error line');
  if (r.exitCode !== 0 && r.exitCode !== 1) problems.push(`exit code ${r.exitCode}`);
  return problems;
}
