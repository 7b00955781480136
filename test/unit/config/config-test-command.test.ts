import { describe, expect, test } from 'vitest';
import { configTestCommand } from '../../../src/cli/config-test-command.js';
import { memorySource } from '../../../src/config/source.js';

const FIX = 'test/fixtures/config';

describe('vrrpd -t -f FILE', () => {
  test('a valid config of keywords that all work exits 0 with nothing on stderr', () => {
    const src = memorySource({
      '/ok/k.conf':
        'vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 30\n  priority 100\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n',
    });
    expect(configTestCommand('/ok/k.conf', src)).toEqual({ stderr: '', exitCode: 0 });
  });

  test('warnings are printed but the exit code stays 0', () => {
    const r = configTestCommand(`${FIX}/debian-samples/keepalived.conf.vrrp.routes`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(
      `${FIX}/debian-samples/keepalived.conf.vrrp.routes:7:1: warning: static_routes: keepalived re-adds it when one is deleted from outside; vrrpd does not watch for that (add no_track to each line to silence)\n` +
        `${FIX}/debian-samples/keepalived.conf.vrrp.routes:25:5: warning: virtual_routes: keepalived sends the Master to Backup when one is deleted from outside; vrrpd does not watch for that (add no_track to each line to silence)\n` +
        `${FIX}/debian-samples/keepalived.conf.vrrp.routes:30:9: warning: virtual_routes: "or" for routes is deprecated. Please use "nexthop"\n` +
        `${FIX}/debian-samples/keepalived.conf.vrrp.routes:32:9: warning: virtual_routes: "gw" for routes is deprecated. Please use "via"\n`,
    );
  });

  test('errors: one FILE:LINE:COL: error: line each, exit 1', () => {
    const src = memorySource({
      '/e/k.conf':
        'vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 300\n  priority 0\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n',
    });
    expect(configTestCommand('/e/k.conf', src)).toEqual({
      stderr:
        "/e/k.conf:3:3: error: (VI_1) virtual_router_id '300' not valid - must be between 1 & 255\n" +
        "/e/k.conf:4:3: error: (VI_1) priority '0' not valid - must be between 1 & 255\n",
      exitCode: 1,
    });
  });

  test('a missing file is FILE:0:0: error: cannot read ..., exit 1', () => {
    const r = configTestCommand('/nonexistent/keepalived.conf');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /^\/nonexistent\/keepalived\.conf:0:0: error: cannot read \/nonexistent\/keepalived\.conf: ENOENT.*\n$/,
    );
  });
});
