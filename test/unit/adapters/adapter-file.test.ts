import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapterFile, parseDeclarativeAdapter } from '../../../harness/adapters/adapter-file.js';
import { declarativeFiles } from '../../../harness/adapters/declarative-adapter.js';
import { expandPlaceholders, unknownPlaceholders } from '../../../harness/adapters/placeholders.js';
import { parseReportedStates } from '../../../harness/adapters/reported-state.js';
import type { AdapterHost } from '../../../harness/adapters/types.js';
import { fakeHost, inst } from './fixtures.js';

const GOOD = `name: myvrrp
config: keepalived
start: [/opt/myvrrp/bin/myvrrpd, -f, "{config}", --pid, "{dir}/my.pid", --if, "{ifname}", --id, "{host}"]
ready: "{dir}/my.pid"
stop: SIGTERM
unsupported: [ipv6, unicast]
env: { TMPDIR: "{dir}", MODE: "" }
state: [myvrrpctl, --json, "{dir}/ctl.sock"]
`;

/** Runs as {host}: records what spawn/exec were asked to do. */
function recordingHost(instances = [inst({ vrid: 51, vips: ['10.0.0.254/24'] })]) {
  const calls: Array<{ what: string; cmd: string; args: string[]; env?: Record<string, string> }> = [];
  const host: AdapterHost = fakeHost(instances, {
    dir: '/run/vrrp-lab/abc123/r1',
    exec: async (cmd, args, o) => {
      calls.push({ what: 'exec', cmd, args, ...(o?.env ? { env: o.env } : {}) });
      return { stdout: '[{"vrid": 51, "state": "master", "effectivePriority": 150}]', stderr: '' };
    },
  });
  return { host, calls };
}

function errorLines(text: string, file = 'bad.yaml'): string[] {
  try {
    parseDeclarativeAdapter(text, file);
  } catch (err) {
    return (err as Error).message.split('\n');
  }
  throw new Error('expected the file to be rejected');
}

describe('placeholders', () => {
  it('expands the four placeholders and leaves other text alone', () => {
    const v = { config: '/d/keepalived.conf', dir: '/d', ifname: 'eth0', host: 'r1' };
    expect(expandPlaceholders('{dir}/k.pid', v)).toBe('/d/k.pid');
    expect(expandPlaceholders('-f={config} on {ifname}@{host}', v)).toBe('-f=/d/keepalived.conf on eth0@r1');
    expect(expandPlaceholders('$HOME {not a placeholder}', v)).toBe('$HOME {not a placeholder}');
    // ${dir} is a shell variable or a JavaScript template, not a placeholder.
    const shell = `echo \${dir} \${HOME} {dir}`;
    expect(expandPlaceholders(shell, v)).toBe(`echo \${dir} \${HOME} /d`);
    expect(unknownPlaceholders('{config} {cfg} {dir} {hostname}')).toEqual(['cfg', 'hostname']);
    expect(unknownPlaceholders(shell)).toEqual([]);
  });
});

describe('declarative adapter files', () => {
  it('accepts the documented fields and reports its unsupported settings', () => {
    const a = parseDeclarativeAdapter(GOOD, 'good.yaml', '/abs/good.yaml');
    expect(a.name).toBe('myvrrp');
    expect(a.source).toBe('/abs/good.yaml');
    expect(a.unsupportedSettings).toEqual(['ipv6', 'unicast']);
    expect(a.programs).toEqual(['/opt/myvrrp/bin/myvrrpd', 'myvrrpctl']);
    const v4 = fakeHost([inst({ vrid: 51, vips: ['10.0.0.254/24'] })]);
    expect(a.unsupported(v4)).toEqual([]);
    const v6 = fakeHost([inst({ vrid: 52, version: 3, vips: ['2001:db8::254/64'] })]);
    expect(a.unsupported(v6)).toEqual(['VI_1 (VRID 52): myvrrp cannot express ipv6']);
    const uni = fakeHost([inst({ vrid: 53, vips: ['10.0.0.254/24'], unicast: true })]);
    expect(a.unsupported(uni)).toEqual(['VI_1 (VRID 53): myvrrp cannot express unicast']);
    // Protocol limits apply to every implementation.
    const v2sub = fakeHost([inst({ vrid: 54, vips: ['10.0.0.254/24'], advertIntervalS: 0.5 })]);
    expect(a.unsupported(v2sub).join()).toMatch(/whole seconds/);
  });

  it('reads JSON as well (YAML reads JSON), with defaults for stop, unsupported and env', () => {
    const a = parseDeclarativeAdapter(
      JSON.stringify({ name: 'j', config: 'keepalived', start: ['d', '{config}'] }, null, 2),
      'a.json',
    );
    expect(a.name).toBe('j');
    expect(a.unsupportedSettings).toEqual([]);
  });

  it('names FILE:LINE:COL, the key and the problem for each mistake', () => {
    const lines = errorLines(
      [
        'name: my vrrp', // 1
        'config: quagga', // 2
        'start: [myvrrpd, -f, "{cfg}"]', // 3
        'stop: SIGKILL', // 4
        'unsupported: [ipv6, multicast]', // 5
        'state: []', // 6
        'extra: 1', // 7
      ].join('\n'),
    );
    expect(lines).toEqual([
      expect.stringMatching(/^bad\.yaml:1:7: error: name: letters, digits/),
      expect.stringMatching(/^bad\.yaml:2:9: error: config: /),
      expect.stringMatching(/^bad\.yaml:3:22: error: start\[2\]: unknown placeholder \{cfg\} \(known: \{config\}/),
      expect.stringMatching(/^bad\.yaml:4:7: error: stop: /),
      expect.stringMatching(/^bad\.yaml:5:21: error: unsupported\[1\]: /),
      expect.stringMatching(/^bad\.yaml:6:8: error: state: a command needs at least the program/),
      expect.stringMatching(/^bad\.yaml:1:1: error: \(root\): unknown key "extra"/),
    ]);
  });

  it('reports a missing required key and a YAML syntax error with their positions', () => {
    expect(errorLines('name: x\nconfig: keepalived\n')).toEqual(['bad.yaml:1:1: error: start: required (array)']);
    const syntax = errorLines('name: x\nstart: [a, b\n');
    expect(syntax[0]).toMatch(/^bad\.yaml:\d+:\d+: error: /);
  });

  it('starts the expanded command with the expanded env, and parses the state command output', async () => {
    const a = parseDeclarativeAdapter(GOOD, 'good.yaml');
    const { host, calls } = recordingHost();
    let spawned: { cmd: string; args: string[]; env?: Record<string, string>; logFile: string } | undefined;
    host.spawn = async (cmd, args, o) => {
      spawned = { cmd, args, logFile: o.logFile, ...(o.env ? { env: o.env } : {}) };
      throw new Error('not in a unit test');
    };
    await expect(a.start(host)).rejects.toThrow(/not in a unit test/);
    const files = declarativeFiles({ name: 'myvrrp' }, host);
    expect(spawned).toEqual({
      cmd: '/opt/myvrrp/bin/myvrrpd',
      args: ['-f', files.config, '--pid', '/run/vrrp-lab/abc123/r1/my.pid', '--if', 'eth0', '--id', 'r1'],
      env: { TMPDIR: '/run/vrrp-lab/abc123/r1', MODE: '' },
      logFile: '/run/vrrp-lab/abc123/r1/myvrrp.log',
    });
    expect(files.config).toBe('/run/vrrp-lab/abc123/r1/keepalived.conf');
    // Not running: state() does not ask.
    expect(await a.state(host)).toEqual([{ instance: 'VI_1', vrid: 51, state: 'UNKNOWN' }]);
    expect(calls).toEqual([]);
  });

  it('maps what a state command prints onto instance states', () => {
    const host = fakeHost([inst({ vrid: 51, vips: ['10.0.0.254/24'] }), inst({ vrid: 52, vips: ['10.0.0.253/24'] })]);
    expect(
      parseReportedStates(
        host,
        '[{"vrid":51,"state":"master","effectivePriority":150},{"vrid":52,"state":"Initialize"}]',
      ),
    ).toEqual([
      { instance: 'VI_1', vrid: 51, state: 'MASTER', effectivePriority: 150 },
      { instance: 'VI_1', vrid: 52, state: 'INIT' },
    ]);
    expect(
      parseReportedStates(host, '{"instances":[{"name":"X","vrid":51,"state":"BACKUP"},{"vrid":52,"state":"odd"}]}'),
    ).toEqual([
      { instance: 'X', vrid: 51, state: 'BACKUP' },
      { instance: 'VI_1', vrid: 52, state: 'UNKNOWN' },
    ]);
    expect(() => parseReportedStates(host, '{"vrid": 1}')).toThrow();
  });
});

describe('adapter modules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vrrplab-modules-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a default export that implements the interface and fills in the extras', async () => {
    const p = join(dir, 'ok.mjs');
    await writeFile(
      p,
      `const noop = async () => {};
export default {
  name: 'modvrrp',
  unsupportedSettings: ['vmac'],
  unsupported: (host) => host.instances.filter((i) => i.unicast).map((i) => i.name + ': no unicast'),
  render: async () => [], start: noop, stop: noop, kill: noop, freeze: noop, thaw: noop,
  state: async (host) => host.instances.map((i) => ({ instance: i.name, vrid: i.vrid, state: 'BACKUP' })),
};
`,
    );
    const a = await loadAdapterFile(p);
    expect(a.name).toBe('modvrrp');
    expect(a.source).toBe(p);
    expect(a.unsupportedSettings).toEqual(['vmac']);
    const host = fakeHost([inst({ vrid: 9, vips: ['10.0.0.9/24'], unicast: true })]);
    expect(a.unsupported(host)).toEqual(['VI_1: no unicast']);
    expect(await a.state(host)).toEqual([{ instance: 'VI_1', vrid: 9, state: 'BACKUP' }]);
    expect(a.differences(host)).toEqual([]);
  });

  it('says what a default export lacks', async () => {
    const p = join(dir, 'bad.mjs');
    await writeFile(p, `export default { name: 'half', start: async () => {}, unsupportedSettings: ['teleport'] };\n`);
    await expect(loadAdapterFile(p)).rejects.toThrow(
      /bad\.mjs: the default export is not an adapter; it needs unsupported: a function, render: a function, .*unsupportedSettings: a list of settings/,
    );
    const none = join(dir, 'none.mjs');
    await writeFile(none, 'export const x = 1;\n');
    await expect(loadAdapterFile(none)).rejects.toThrow(/none\.mjs: the default export must be an adapter object/);
  });
});

describe('the shipped example', () => {
  it('is valid, and the README shows it verbatim', async () => {
    const file = 'scenarios/adapters/keepalived-as-foreign.yaml';
    const text = await readFile(file, 'utf8');
    const a = parseDeclarativeAdapter(text, file);
    expect(a.name).toBe('keepalived-as-foreign');
    const readme = await readFile('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### Test your own implementation'));
    const block = /```yaml\n([\s\S]*?)```\n/.exec(section)?.[1];
    expect(block).toBe(text);
  });
});
