import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { loadConfig, parseConfigText } from '../../../src/config/parse.js';
import { formatDiagnostic } from '../../../src/util/errors.js';

const FIX = 'test/fixtures/config';
const SAMPLES = `${FIX}/debian-samples`;
const INSTALLED = '/usr/share/doc/keepalived/samples';

/** vrrpd refuses auth_type AH (it does not implement IPsec AH); the samples that use it are otherwise clean. */
const AH_REFUSED = /auth_type AH \(IPsec AH\) is not implemented by vrrpd/;
const errorsOf = (r: ReturnType<typeof loadConfig>) =>
  r.diagnostics.filter((d) => d.severity === 'error' && !AH_REFUSED.test(d.message)).map(formatDiagnostic);

describe('seed config (keepalived.conf from the Chinese article, with its # comments)', () => {
  test('parses with no errors and no warnings: vrrpd honours every keyword of it', () => {
    const r = loadConfig(`${FIX}/seed.conf`);
    expect(errorsOf(r)).toEqual([]);
    expect(r.diagnostics).toEqual([]);
    const vi = r.config?.vrrpInstances[0];
    expect(vi).toMatchObject({
      name: 'VI_1',
      state: 'BACKUP',
      preempt: false,
      interface: 'eth0',
      virtualRouterId: 101,
      priority: 100,
      unicastSrcIp: '192.168.1.14',
      unicastPeers: [{ address: '192.168.1.15' }],
      advertIntervalCs: 100,
      authentication: { type: 'PASS', password: 'test123' },
      virtualIpAddresses: [{ address: '118.24.101.16', prefixLength: 24, dev: 'eth1' }],
      trackInterfaces: [{ name: 'eth0', weight: 0 }],
      trackScripts: [{ name: 'check_nginx' }],
    });
    expect(r.config?.vrrpScripts[0]).toMatchObject({
      name: 'check_nginx',
      interval: 10,
      script: { command: '/etc/keepalived/nginx_check.sh' },
    });
    expect(r.config?.globalDefs).toMatchObject({ scriptUser: { user: 'root' }, enableScriptSecurity: true });
  });
});

describe('Debian keepalived samples with vrrp_instance', () => {
  const names = readdirSync(SAMPLES).sort();

  test('the copied set is the one that contains vrrp_instance', () => {
    expect(names).toHaveLength(12);
    for (const n of names) expect(readFileSync(`${SAMPLES}/${n}`, 'utf8')).toContain('vrrp_instance');
  });

  test.each(names)('%s has no errors (but a refused auth_type AH)', (name) => {
    const r = loadConfig(`${SAMPLES}/${name}`);
    expect(errorsOf(r)).toEqual([]);
    const ah = r.diagnostics.some((d) => AH_REFUSED.test(d.message));
    if (!ah) expect(r.config?.vrrpInstances.length).toBeGreaterThan(0);
  });

  test('auth_type AH is refused at its line', () => {
    const r = loadConfig(`${SAMPLES}/keepalived.conf.SSL_GET`);
    expect(r.config).toBeUndefined();
    expect(r.diagnostics.filter((d) => AH_REFUSED.test(d.message)).map((d) => d.keyword)).toContain('auth_type');
  });

  test('conditional_conf picks the @high / @low lines by config id', () => {
    const high = loadConfig(`${SAMPLES}/keepalived.conf.conditional_conf`, undefined, { configId: 'high' });
    expect(errorsOf(high)).toEqual([]);
    expect(high.config?.vrrpInstances[0]).toMatchObject({ priority: 170, version: 3, advertIntervalCs: 1200 });
    expect(high.config?.vrrpScripts[0]?.script.command).toBe('/etc/keepalived/scripts/check_high_VI_0.sh');
    const low = loadConfig(`${SAMPLES}/keepalived.conf.conditional_conf`, undefined, { configId: 'low' });
    expect(low.config?.vrrpInstances[0]?.priority).toBe(85);
  });

  test('keepalived.conf.vrrp.sync builds two sync groups', () => {
    const r = loadConfig(`${SAMPLES}/keepalived.conf.vrrp.sync`);
    expect(r.config?.syncGroups.map((g) => [g.name, g.members.length])).toEqual([
      ['G1', 7],
      ['G2', 2],
    ]);
  });

  // On a machine with keepalived installed (CI installs it), also check the pristine copies, gzipped or not.
  const installed = existsSync(INSTALLED) ? readdirSync(INSTALLED).sort() : [];
  test.skipIf(installed.length === 0).each(installed.length > 0 ? installed : ['(none)'])(
    'installed sample %s: no errors if it has a vrrp_instance',
    (name) => {
      const raw = readFileSync(`${INSTALLED}/${name}`);
      const text = name.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      if (!text.includes('vrrp_instance')) return;
      const r = parseConfigText(text, name);
      const errors = r.diagnostics.filter((d) => d.severity === 'error' && !AH_REFUSED.test(d.message));
      expect(errors.map(formatDiagnostic)).toEqual([]);
    },
  );
});

describe('broken configs name FILE:LINE:COL', () => {
  test.each([
    ['dup-vrid.conf', '8:1', '(VI_2) VI_1 and VI_2 both use VRID 7 with IPv4 on interface eth0'],
    [
      'unicast-peers-one-line.conf',
      '6:18',
      "(VI_1) unicast_peer: one address per line ('10.0.0.3' follows '10.0.0.2' on the same line)",
    ],
    ['unknown-keyword.conf', '4:5', "unknown keyword 'priorty' in vrrp_instance VI_1"],
    ['nopreempt-owner.conf', '5:5', '(VI_1) nopreempt is incompatible with priority 255 (address owner)'],
  ])('%s', (file, where, message) => {
    const path = `${FIX}/broken/${file}`;
    const r = loadConfig(path);
    expect(r.config).toBeUndefined();
    expect(errorsOf(r)[0]).toMatch(`${path}:${where}: error: ${message}`);
  });
});
