import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../../src/config/parse.js';
import { memorySource } from '../../../src/config/source.js';
import { formatDiagnostic } from '../../../src/util/errors.js';

const FIX = 'test/fixtures/config';

function lines(result: ReturnType<typeof loadConfig>) {
  return result.diagnostics.map(formatDiagnostic);
}

const vi = (name: string, vrid: number, extra = '') =>
  `vrrp_instance ${name} {\n  interface eth0\n  virtual_router_id ${vrid}\n${extra}  virtual_ipaddress {\n    10.0.0.${vrid}\n  }\n}\n`;

describe('include', () => {
  test('globs relative to the including file, in sorted order, from the real file system', () => {
    const result = loadConfig(`${FIX}/include/main.conf`);
    expect(lines(result)).toEqual([]);
    expect(result.config?.vrrpInstances.map((i) => i.name)).toEqual(['VI_1', 'VI_2']);
    expect(result.config?.vrrpScripts.map((s) => s.name)).toEqual(['chk_a']);
    expect(result.config?.files).toEqual([
      `${FIX}/include/main.conf`,
      `${FIX}/include/scripts/chk_a.inc`,
      `${FIX}/include/conf.d/10-vi1.conf`,
      `${FIX}/include/conf.d/20-vi2.conf`,
    ]);
    expect(result.config?.vrrpInstances[0]?.pos).toEqual({
      file: `${FIX}/include/conf.d/10-vi1.conf`,
      line: 1,
      column: 1,
    });
  });

  test('an error inside an included file points into that file', () => {
    const result = loadConfig(`${FIX}/include-bad/main.conf`);
    expect(result.config).toBeUndefined();
    expect(lines(result)).toEqual([
      `${FIX}/include-bad/conf.d/10-bad.conf:4:5: error: (VI_1) priority '300' not valid - must be between 1 & 255`,
    ]);
    expect(result.diagnostics[0]?.keyword).toBe('priority');
  });

  test('nested includes resolve against the directory of each including file', () => {
    const src = memorySource({
      '/etc/k/main.conf': 'include sub/a.conf\n',
      '/etc/k/sub/a.conf': 'include ../b/*.conf\n',
      '/etc/k/b/x.conf': vi('VI_X', 9),
    });
    const result = loadConfig('/etc/k/main.conf', src);
    expect(lines(result)).toEqual([]);
    expect(result.config?.vrrpInstances[0]?.pos.file).toBe('/etc/k/b/x.conf');
  });

  test('a block may open in one file and the keyword come from another file', () => {
    const src = memorySource({
      '/k/main.conf': 'vrrp_instance VI_1 {\n  include body.inc\n}\n',
      '/k/body.inc': 'interface eth0\nvirtual_router_id 3\nvirtual_ipaddress {\n 10.0.0.3\n}\nbogus 1\n',
    });
    expect(lines(loadConfig('/k/main.conf', src))).toEqual([
      "/k/body.inc:6:1: error: unknown keyword 'bogus' in vrrp_instance VI_1",
    ]);
  });

  test('a cycle is an error at the include line that closes it', () => {
    const src = memorySource({
      '/k/a.conf': `${vi('VI_1', 1)}include b.conf\n`,
      '/k/b.conf': 'include a.conf\n',
    });
    expect(lines(loadConfig('/k/a.conf', src))).toEqual([
      '/k/b.conf:1:1: error: include cycle: /k/a.conf -> /k/b.conf -> /k/a.conf',
    ]);
  });

  test('include depth is limited', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`/k/${i}.conf`] = `include ${i + 1}.conf\n`;
    files['/k/20.conf'] = vi('VI_1', 1);
    const out = lines(loadConfig('/k/0.conf', memorySource(files)));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\/k\/15\.conf:1:1: error: includes nested deeper than 16 levels/);
  });

  test('plain include matching nothing warns (keepalived tolerates it); includea makes it an error', () => {
    const src = memorySource({ '/k/m.conf': `${vi('VI_1', 1)}include none/*.conf\nincludea other.conf\n` });
    expect(lines(loadConfig('/k/m.conf', src))).toEqual([
      "/k/m.conf:8:1: warning: include 'none/*.conf' matched no files (/k/none/*.conf)",
      "/k/m.conf:9:1: error: include 'other.conf' matched no files (/k/other.conf)",
    ]);
  });

  test('glob classes and ? match single path segments only; dot files need an explicit dot', () => {
    const src = memorySource({
      '/k/m.conf': 'include d/[ab]?.conf\n',
      '/k/d/a1.conf': vi('VI_A', 1),
      '/k/d/b2.conf': vi('VI_B', 2),
      '/k/d/c3.conf': vi('VI_C', 3),
      '/k/d/a1/x.conf': vi('VI_D', 4),
    });
    expect(loadConfig('/k/m.conf', src).config?.vrrpInstances.map((i) => i.name)).toEqual(['VI_A', 'VI_B']);
  });

  test('a missing main file is one error at line 0', () => {
    const result = loadConfig(`${FIX}/does-not-exist.conf`);
    expect(result.config).toBeUndefined();
    expect(lines(result)).toHaveLength(1);
    expect(lines(result)[0]).toMatch(
      new RegExp(`^${FIX}/does-not-exist\\.conf:0:0: error: cannot read ${FIX}/does-not-exist\\.conf: ENOENT`),
    );
  });
});
