import { describe, expect, test } from 'vitest';
import { Diagnostics } from '../../../src/config/diagnostics.js';
import { lex } from '../../../src/config/lexer.js';

function words(text: string, configId?: string) {
  const diags = new Diagnostics();
  const tokens = lex(text, 'f.conf', diags, configId === undefined ? {} : { configId });
  return { tokens: tokens.map((t) => (t.kind === 'word' ? t.value : t.kind)), diags: diags.list, raw: tokens };
}

describe('lexer', () => {
  test('# and ! start comments anywhere outside double quotes, even mid-word', () => {
    expect(words('priority 90 # high\nstate BACKUP! x\nauth_pass ab#cd').tokens).toEqual([
      'priority',
      '90',
      'eol',
      'state',
      'BACKUP',
      'eol',
      'auth_pass',
      'ab',
      'eol',
    ]);
  });

  test('a backslash makes # and ! literal', () => {
    expect(words('auth_pass a\\#b\\!c').tokens).toEqual(['auth_pass', 'a#b!c', 'eol']);
  });

  test('double quotes keep spaces and comment characters; quotes join with adjacent text', () => {
    expect(words('notify "/bin/x a # b" root\nx ab" c"d').tokens).toEqual([
      'notify',
      '/bin/x a # b',
      'root',
      'eol',
      'x',
      'ab cd',
      'eol',
    ]);
  });

  test('single quotes keep spaces but, as in keepalived, not a comment character', () => {
    expect(words("notify_master '/bin/echo a b'").tokens).toEqual(['notify_master', '/bin/echo a b', 'eol']);
    const { diags } = words("notify_master '/bin/echo a#b'");
    expect(diags[0]?.message).toMatch(/missing terminating '/);
  });

  test('an unterminated double quote is an error at the quote', () => {
    const { diags } = words('  notify "/bin/x');
    expect(diags).toMatchObject([{ severity: 'error', line: 1, column: 10, message: 'unterminated quoted string' }]);
  });

  test('escapes are decoded like the shell', () => {
    expect(words('x "a\\tb" \\x41 \\101').tokens).toEqual(['x', 'a\tb', 'A', 'A', 'eol']);
  });

  test('braces are tokens even without spaces and end the logical line', () => {
    expect(words('unicast_peer{10.0.0.1}').tokens).toEqual(['unicast_peer', '{', '10.0.0.1', '}', 'eol']);
    expect(words('a "{x}"').tokens).toEqual(['a', '{x}', 'eol']);
  });

  test('every token keeps its line and column (1-based, UTF-8 text)', () => {
    const { raw } = words('# 注释\n  state  BACKUP # 中文注释\n\tpriority 1');
    const w = raw.filter((t) => t.kind === 'word').map((t) => [t.value, t.pos.line, t.pos.column]);
    expect(w).toEqual([
      ['state', 2, 3],
      ['BACKUP', 2, 10],
      ['priority', 3, 2],
      ['1', 3, 11],
    ]);
  });

  test('a trailing backslash continues the line', () => {
    const { raw } = words('virtual_ipaddress_x 1 \\\n   2\nnext');
    expect(raw.map((t) => (t.kind === 'word' ? `${t.value}@${t.pos.line}:${t.pos.column}` : t.kind))).toEqual([
      'virtual_ipaddress_x@1:1',
      '1@1:21',
      '2@2:4',
      'eol',
      'next@3:1',
      'eol',
    ]);
  });

  test('@ID lines are used only when the config id matches; @^ID inverts', () => {
    const text = '@high priority 170\n@low priority 85\n@^high weight 1';
    expect(words(text).tokens).toEqual(['weight', '1', 'eol']);
    expect(words(text, 'high').tokens).toEqual(['priority', '170', 'eol']);
    expect(words(text, 'low').tokens).toEqual(['priority', '85', 'eol', 'weight', '1', 'eol']);
  });

  test('include lines become include tokens; CRLF and a BOM are tolerated', () => {
    const { raw } = words('\uFEFFinclude conf.d/*.conf\r\nincludea x\r\n');
    expect(raw.filter((t) => t.kind === 'include').map((t) => [t.includeKind, t.value])).toEqual([
      ['include', 'conf.d/*.conf'],
      ['includea', 'x'],
    ]);
  });

  test('a $NAME= definition line produces no tokens; $NAME and its braced form are replaced where used', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: keepalived's ${NAME} syntax, not a template
    expect(words('$IF=eth0\ninterface $IF\ninterface ${IF}x').tokens).toEqual([
      'interface',
      'eth0',
      'eol',
      'interface',
      'eth0x',
      'eol',
    ]);
  });
});
