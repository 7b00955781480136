import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../../src/config/parse.js';
import { memorySource } from '../../../src/config/source.js';
import { check } from './helpers.js';

/** keepalived 2.2.7's `$NAME=value` parameters (lib/parser.c check_definition / replace_param). */
describe('$NAME= parameter definitions', () => {
  const base = (body: string) => `vrrp_instance VI_1 {
  interface $IF
  virtual_router_id 51
${body}
}
`;

  test('$NAME and its braced form are replaced by the value; substituted words carry the position of their $', () => {
    const r = check(
      `$IF=eth1\n$BASE=10\n$PRIO=\${BASE}0\n${base('  priority $PRIO\n  virtual_ipaddress {\n    10.0.0.1/24\n  }')}`,
    );
    expect(r.errors).toEqual([]);
    expect(r.config?.vrrpInstances[0]).toMatchObject({ interface: 'eth1', priority: 100 });
    // A bad value through a parameter: the error points at the reference ($OPT at line 5, column 16).
    const bad = check(`$OPT=bogus\n$IF=eth0\n${base('  virtual_ipaddress {\n 10.0.0.1/24 $OPT\n  }')}`);
    expect(bad.errors).toEqual(["t.conf:7:14: error: virtual_ipaddress 10.0.0.1/24: unknown option 'bogus'"]);
  });

  test('a value of several words, and a multi-line definition that expands into several lines', () => {
    const r = check(`$IF=eth0
$VIP=10.0.0.1/24 dev eth0
$MORE=10.0.0.2/32 \\
   10.0.0.3/32
${base('  virtual_ipaddress {\n    $VIP\n    $MORE\n  }')}`);
    expect(r.errors).toEqual([]);
    expect(r.config?.vrrpInstances[0]?.virtualIpAddresses.map((v) => [v.address, v.dev])).toEqual([
      ['10.0.0.1', 'eth0'],
      ['10.0.0.2', undefined],
      ['10.0.0.3', undefined],
    ]);
  });

  test('a definition in an included file applies to the lines after the include; a later one replaces it', () => {
    const r = loadConfig(
      '/k/main.conf',
      memorySource({
        '/k/main.conf': `include defs.conf\n${base('  priority $PRIO\n  virtual_ipaddress {\n    10.0.0.1\n  }')}$PRIO=1\n`,
        '/k/defs.conf': '$IF=eth2\n$PRIO=120\n',
      }),
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.config?.vrrpInstances[0]).toMatchObject({ interface: 'eth2', priority: 120 });
  });

  test('conditional definitions by config id, and the built-ins _INSTANCE and _HASH', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: keepalived's ${NAME} syntax, not a template
    const text = `@high $PRIO=150\n@low $PRIO=50\n$IF=eth0\n${base('  priority $PRIO\n  notify_master "/bin/echo ${_INSTANCE} ${_HASH}1"\n  virtual_ipaddress {\n    10.0.0.1\n  }')}`;
    const high = check(text, { configId: 'high' }).config?.vrrpInstances[0];
    expect(high?.priority).toBe(150);
    expect(high?.notify.master?.command).toBe('/bin/echo high #1');
    expect(check(text, { configId: 'low' }).config?.vrrpInstances[0]?.priority).toBe(50);
  });

  test('not definitions (as keepalived): a blank before =, or an undefined $NAME, stays a word', () => {
    const r = check(`$NAME =x\n$IF=eth0\n${base('  priority $NOPE')}`);
    expect(r.errors).toContain("t.conf:1:1: error: unknown keyword '$NAME' in the top level");
    expect(r.errors).toContain("t.conf:6:3: error: (VI_1) priority '$NOPE' not valid - must be between 1 & 255");
  });

  test('a definition that uses itself is one error instead of a hang', () => {
    const r = check('$A=x $A\nrouter $A\n');
    expect(r.errors).toEqual([
      't.conf:2:8: error: parameter expansion does not end after 1000 replacements (a definition uses itself?)',
    ]);
  });
});
