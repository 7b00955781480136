import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import { defineTopology, Lab, type LabHost } from '../../../harness/lab/index.js';
import { packageRoot } from '../../../src/util/package-info.js';

/**
 * Issue 3 "Bad input", second half: a daemon that cannot run says why in one line and exits 1 — a missing
 * interface, a missing capability, an address conflict — and a bad configuration gives compiler-style
 * `FILE:LINE:COL: error:` lines. Each daemon runs in a lab namespace with a 15 s cap (it must exit on its own).
 */

const isRoot = process.getuid?.() === 0;
const ADDRESS = '10.64.0.1';

const topology = defineTopology({
  name: 'conformance-start',
  switches: { lan: {} },
  hosts: { dut: { role: 'client', links: [{ switch: 'lan', address: `${ADDRESS}/24` }] } },
});

function instanceConf(o: { ifname?: string; vip?: string } = {}): string {
  const ifname = o.ifname ?? 'eth0';
  return [
    'vrrp_instance VI_1 {',
    '  state BACKUP',
    `  interface ${ifname}`,
    '  virtual_router_id 71',
    '  priority 100',
    '  advert_int 1',
    '  virtual_ipaddress {',
    `    ${o.vip ?? '10.64.0.254/24'} dev ${ifname}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

interface Outcome {
  exitCode: number | undefined;
  stderr: string;
  stdout: string;
  lines: string[];
}

describe.skipIf(!isRoot)('conformance: startup errors are one clear line and exit 1', () => {
  let lab: Lab;
  let dut: LabHost;

  /** Writes `text` as a world-readable config in the host's directory; returns its path. */
  async function conf(name: string, text: string): Promise<string> {
    const path = join(dut.dir, name);
    await writeFile(path, text, { mode: 0o644 });
    return path;
  }

  /** Runs vrrpd in the foreground in the DUT namespace, optionally behind a privilege-dropping prefix. */
  async function vrrpd(args: string[], prefix: string[] = []): Promise<Outcome> {
    const files = ['-p', join(dut.dir, 'vrrpd.pid'), '--control-socket', join(dut.dir, 'vrrpd.sock')];
    const r = await execa(
      'ip',
      ['netns', 'exec', dut.netns, ...prefix, process.execPath, vrrpdCliPath(), ...args, ...files],
      {
        reject: false,
        timeout: 15_000,
        cwd: packageRoot(),
      },
    );
    const stderr = String(r.stderr);
    expect(r.timedOut, `vrrpd ${args.join(' ')} did not exit:\n${stderr}`).toBe(false);
    return {
      exitCode: r.exitCode,
      stderr,
      stdout: String(r.stdout),
      lines: stderr.split('\n').filter((l) => l.trim() !== ''),
    };
  }

  /** A failed start leaves nothing behind: no pid file, no control socket. */
  function expectNothingLeft(): void {
    expect(existsSync(join(dut.dir, 'vrrpd.pid'))).toBe(false);
    expect(existsSync(join(dut.dir, 'vrrpd.sock'))).toBe(false);
  }

  beforeAll(async () => {
    lab = await Lab.build(topology);
    dut = lab.host('dut');
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  it('a missing interface: exit 1, one line naming the interface', async () => {
    const r = await vrrpd(['-n', '-f', await conf('missing-if.conf', instanceConf({ ifname: 'nosuch0' }))]);
    expect(r.exitCode).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^vrrpd: .*'nosuch0'/);
    expectNothingLeft();
  });

  it('no CAP_NET_RAW (root with net_raw dropped from the bounding set): exit 1, one line naming CAP_NET_RAW', async () => {
    const path = await conf('ok.conf', instanceConf());
    const r = await vrrpd(['-n', '-f', path], ['setpriv', '--bounding-set', '-net_raw', '--inh-caps', '-net_raw']);
    expect(r.exitCode).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^vrrpd: .*CAP_NET_RAW/);
    expectNothingLeft();
  });

  it('no capabilities at all (root with an empty bounding set): exit 1, one line naming both', async () => {
    // Root without capabilities rather than `nobody`: a clone in a 0700 directory (mktemp -d) is not
    // readable by nobody, and what is under test is the capability check, not file permissions.
    const path = await conf('ok.conf', instanceConf());
    const r = await vrrpd(['-n', '-f', path], ['setpriv', '--bounding-set', '-all', '--inh-caps', '-all']);
    expect(r.exitCode).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^vrrpd: vrrpd needs CAP_NET_RAW and CAP_NET_ADMIN/);
    expectNothingLeft();
  });

  it("an address conflict (the VIP is the interface's own address): exit 1, one line", async () => {
    const r = await vrrpd(['-n', '-f', await conf('conflict.conf', instanceConf({ vip: `${ADDRESS}/24` }))]);
    expect(r.exitCode).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^vrrpd: .*address conflict.*10\.64\.0\.1\b/);
    expectNothingLeft();
    // The interface keeps its own address (nothing was removed on the way out).
    const { stdout } = await dut.exec('ip', ['-j', 'addr', 'show', 'dev', 'eth0']);
    expect(stdout).toContain(`"local":"${ADDRESS}"`);
  });

  it('a config error: FILE:LINE:COL: error: lines and exit 1 (vrrpd -n -f bad.conf, and vrrpd -t)', async () => {
    const bad = await conf(
      'bad.conf',
      [
        'vrrp_instance VI_1 {',
        '  interface eth0',
        '  virtual_router_id 300',
        '  priority abc',
        '  bogus_keyword 1',
        '  virtual_ipaddress {',
        '    10.64.0.254/24',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    for (const args of [
      ['-n', '-f', bad],
      ['-t', '-f', bad],
    ]) {
      const r = await vrrpd(args);
      expect(r.exitCode).toBe(1);
      const errors = r.lines.filter((l) => l.includes(': error: '));
      for (const l of errors) expect(l).toMatch(new RegExp(`^${bad.replace(/[.]/g, '\\.')}:\\d+:\\d+: error: `));
      expect(errors.map((l) => l.split(':')[1])).toEqual(['3', '4', '5']);
      expect(errors.join('\n')).toMatch(/virtual_router_id[\s\S]*priority[\s\S]*bogus_keyword/);
    }
    expectNothingLeft();
  });

  it('vrrpd -t on the seed configuration (test/fixtures/config/seed.conf) exits 0', async () => {
    const r = await vrrpd(['-t', '-f', join(packageRoot(), 'test', 'fixtures', 'config', 'seed.conf')]);
    expect(r.lines.filter((l) => l.includes(': error: '))).toEqual([]);
    expect(r.exitCode).toBe(0);
  });
});
