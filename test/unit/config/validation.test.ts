import { describe, expect, test } from 'vitest';
import { check, instance } from './helpers.js';

/** Each case: config text, then the exact diagnostics (FILE:LINE:COL: severity: message) and keyword. */
describe('semantic validation mirrors keepalived', () => {
  test.each([
    [
      'VRID 0',
      instance('').replace('virtual_router_id 51', 'virtual_router_id 0'),
      "t.conf:3:5: error: (VI_1) virtual_router_id '0' not valid - must be between 1 & 255",
      'virtual_router_id',
    ],
    [
      'VRID 256',
      instance('').replace('virtual_router_id 51', 'virtual_router_id 256'),
      "t.conf:3:5: error: (VI_1) virtual_router_id '256' not valid - must be between 1 & 255",
      'virtual_router_id',
    ],
    [
      'priority 0',
      instance('    priority 0'),
      "t.conf:4:5: error: (VI_1) priority '0' not valid - must be between 1 & 255",
      'priority',
    ],
    [
      'priority 256',
      instance('    priority 256'),
      "t.conf:4:5: error: (VI_1) priority '256' not valid - must be between 1 & 255",
      'priority',
    ],
    [
      'bad state',
      instance('    state master'),
      "t.conf:4:5: error: (VI_1) unknown state 'master'; use MASTER or BACKUP",
      'state',
    ],
    [
      'version 4',
      instance('    version 4'),
      "t.conf:4:5: error: (VI_1) version '4' not valid - must be between 2 & 3",
      'version',
    ],
    [
      'nopreempt + priority 255',
      instance('    priority 255\n    nopreempt'),
      't.conf:5:5: error: (VI_1) nopreempt is incompatible with priority 255 (address owner)',
      'nopreempt',
    ],
    [
      'nopreempt + implied owner',
      instance('    state MASTER\n    nopreempt'),
      't.conf:5:5: error: (VI_1) nopreempt is incompatible with priority 255 (address owner)',
      'nopreempt',
    ],
    [
      'preempt_delay + nopreempt',
      instance('    nopreempt\n    preempt_delay 10'),
      't.conf:5:5: error: (VI_1) preempt_delay is incompatible with nopreempt',
      'preempt_delay',
    ],
    [
      'bad VIP',
      instance('', '10.0.0.300/24'),
      "t.conf:6:9: error: virtual_ipaddress: invalid IP address '10.0.0.300'",
      'virtual_ipaddress',
    ],
    [
      'bad prefix',
      instance('', '10.0.0.3/33'),
      "t.conf:6:9: error: virtual_ipaddress: invalid prefix length '/33' for 10.0.0.3 (0..32)",
      'virtual_ipaddress',
    ],
    [
      'bad v6 prefix',
      instance('', 'fe80::1/129'),
      "t.conf:6:9: error: virtual_ipaddress: invalid prefix length '/129' for fe80::1 (0..128)",
      'virtual_ipaddress',
    ],
    [
      'unknown VIP option',
      instance('', '10.0.0.3/24 dev'),
      "t.conf:6:9: error: virtual_ipaddress 10.0.0.3/24: 'dev' needs a value",
      'virtual_ipaddress',
    ],
    [
      'mixed families',
      instance('', '10.0.0.3/24\n        fe80::1'),
      "t.conf:7:9: error: (VI_1) virtual_ipaddress fe80::1: address family must match the instance's first VIP (10.0.0.3); use virtual_ipaddress_excluded to mix families",
      'virtual_ipaddress',
    ],
    [
      'peer family',
      instance('    unicast_peer {\n        fe80::2\n    }'),
      "t.conf:5:9: error: (VI_1) unicast_peer fe80::2: address family must match the instance's VIPs (IPv4)",
      'unicast_peer',
    ],
    [
      'peers on one line',
      instance('    unicast_peer {\n        10.0.0.2 10.0.0.3\n    }'),
      "t.conf:5:18: error: (VI_1) unicast_peer: one address per line ('10.0.0.3' follows '10.0.0.2' on the same line)",
      'unicast_peer',
    ],
    [
      'bad peer',
      instance('    unicast_peer {\n        10.0.0\n    }'),
      "t.conf:5:9: error: (VI_1) unicast_peer: invalid IP address '10.0.0'",
      'unicast_peer',
    ],
    [
      'bad unicast_src_ip',
      instance('    unicast_src_ip 10.0.0.x'),
      "t.conf:4:5: error: (VI_1) unicast_src_ip: invalid IP address '10.0.0.x'",
      'unicast_src_ip',
    ],
    [
      'track_interface weight',
      instance('    track_interface {\n        eth1 weight 300\n    }'),
      't.conf:5:9: error: track_interface eth1: weight 300 is out of range [-253, 253]',
      'weight',
    ],
    [
      'track_script weight',
      `vrrp_script s {\n  script /bin/true\n}\n${instance('    track_script {\n        s weight -254\n    }')}`,
      't.conf:8:9: error: track_script s: weight -254 is out of range [-253, 253]',
      'weight',
    ],
    [
      'vrrp_script weight',
      'vrrp_script s {\n  script /bin/true\n  weight 254\n}\n',
      't.conf:3:3: error: weight 254 is out of range [-253, 253]',
      'weight',
    ],
    [
      'unknown track_script',
      instance('    track_script {\n        chk_nginx\n    }'),
      "t.conf:5:9: error: (VI_1) track_script 'chk_nginx' is not defined (no vrrp_script chk_nginx { })",
      'track_script',
    ],
    [
      'unknown track_file',
      instance('    track_file {\n        tf\n    }'),
      "t.conf:5:9: error: (VI_1) track_file 'tf' is not defined (no track_file tf { })",
      'track_file',
    ],
    [
      'script defined after use',
      `${instance('    track_script {\n        s\n    }')}vrrp_script s {\n  script /bin/true\n}\n`,
      "t.conf:5:9: error: (VI_1) track_script 's' is used before it is defined at t.conf:11; keepalived would ignore it, so define it first",
      'track_script',
    ],
    [
      'unknown sync-group member',
      `vrrp_sync_group G {\n  group {\n    VI_1 VI_9\n  }\n}\n${instance('')}`,
      "t.conf:1:1: error: vrrp_sync_group G: member 'VI_9' is not a vrrp_instance",
      'group',
    ],
    [
      'missing interface',
      'vrrp_instance VI_1 {\n  virtual_router_id 5\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n',
      "t.conf:1:1: error: (VI_1) unknown interface: no 'interface' configured",
      'interface',
    ],
    [
      'unicast_peer without interface (keepalived 2.2.7 exits 5: "Unknown interface!")',
      'vrrp_instance VI_1 {\n  virtual_router_id 5\n  unicast_src_ip 10.0.0.1\n  unicast_peer {\n    10.0.0.2\n  }\n  virtual_ipaddress {\n    10.0.0.9 dev eth0\n  }\n}\n',
      "t.conf:1:1: error: (VI_1) unknown interface: no 'interface' configured (keepalived 2.2.7 refuses this too, even with unicast_peer)",
      'interface',
    ],
    [
      'missing VRID',
      'vrrp_instance VI_1 {\n  interface eth0\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n',
      "t.conf:1:1: error: (VI_1) the virtual router id must be set ('virtual_router_id')",
      'virtual_router_id',
    ],
    [
      'v3 without VIPs',
      'vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n  version 3\n}\n',
      't.conf:1:1: error: (VI_1) no VIP specified; at least one is required',
      'virtual_ipaddress',
    ],
    [
      'unknown keyword',
      instance('    priorty 150'),
      "t.conf:4:5: error: unknown keyword 'priorty' in vrrp_instance VI_1",
      'priorty',
    ],
    [
      'unknown top-level keyword',
      'vrrp_instanse VI_1 {\n}\n',
      "t.conf:1:1: error: unknown keyword 'vrrp_instanse' in the top level",
      'vrrp_instanse',
    ],
    [
      'unknown global keyword',
      'global_defs {\n  router-id x\n}\n',
      "t.conf:2:3: error: unknown keyword 'router-id' in global_defs",
      'router-id',
    ],
    [
      'auth_type',
      instance('    authentication {\n        auth_type MD5\n    }'),
      "t.conf:5:9: error: (VI_1) auth_type 'MD5' not valid; use PASS or AH",
      'auth_type',
    ],
    [
      'strict + auth',
      `global_defs {\n  vrrp_strict\n}\n${instance('    authentication {\n        auth_type PASS\n        auth_pass x\n    }')}`,
      't.conf:7:5: error: (VI_1) strict mode does not allow authentication',
      'authentication',
    ],
    [
      'strict + unicast',
      `global_defs {\n  vrrp_strict\n}\n${instance('    unicast_peer {\n        10.0.0.2\n    }')}`,
      't.conf:8:9: error: (VI_1) strict mode does not allow unicast peers',
      'unicast_peer',
    ],
    ['extra }', `${instance('')}}\n`, "t.conf:9:1: error: extra '}' found", undefined],
    [
      'unclosed block',
      instance('').slice(0, -2),
      "t.conf:1:20: error: missing '}' for the block opened at line 1",
      undefined,
    ],
    [
      'block expected',
      'vrrp_instance VI_1\n',
      "t.conf:1:1: error: 'vrrp_instance' needs a '{ }' block",
      'vrrp_instance',
    ],
  ])('%s', (_name, text, expected, keyword) => {
    const r = check(text);
    expect(r.config).toBeUndefined();
    expect(r.errors[0]).toBe(expected);
    expect(r.diagnostics.find((d) => d.severity === 'error')?.keyword).toBe(keyword);
  });

  test('duplicate VRID on the same interface and family names both instances', () => {
    const text = `${instance('')}${instance('').replace('VI_1', 'VI_2')}`;
    expect(check(text).errors).toEqual([
      't.conf:9:1: error: (VI_2) VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0 (VI_1 is at t.conf:1)',
    ]);
  });

  test('the same VRID is fine on another interface, another family, or with disjoint unicast peers', () => {
    const other = instance('').replace('VI_1', 'VI_2').replace('eth0', 'eth1');
    expect(check(`${instance('')}${other}`).errors).toEqual([]);
    const v6 = instance('', 'fe80::1').replace('VI_1', 'VI_2');
    expect(check(`${instance('')}${v6}`).errors).toEqual([]);
    const u1 = instance('    unicast_peer {\n        10.0.0.2\n    }');
    const u2 = instance('    unicast_peer {\n        10.0.0.3\n    }').replace('VI_1', 'VI_2');
    expect(check(`${u1}${u2}`).errors).toEqual([]);
  });

  test('warnings that keepalived prefixes with "Warning" stay warnings and the value is cleared', () => {
    const np = check(instance('    state MASTER\n    priority 200\n    nopreempt'));
    expect(np.warnings).toEqual([
      't.conf:6:5: warning: (VI_1) nopreempt will not work with initial state MASTER; ignoring nopreempt',
    ]);
    expect(np.config?.vrrpInstances[0]?.preempt).toBe(true);
    const pd = check(instance('    state MASTER\n    priority 200\n    preempt_delay 5'));
    expect(pd.warnings).toEqual([
      't.conf:6:5: warning: (VI_1) preempt_delay will not work with initial state MASTER; ignoring it',
    ]);
    expect(pd.config?.vrrpInstances[0]?.preemptDelay).toBe(0);
  });

  test('authentication: longer than 8 characters is truncated with a warning; ignored in v3', () => {
    const long = check(instance('    authentication {\n        auth_type PASS\n        auth_pass abcdefghijk\n    }'));
    expect(long.warnings).toEqual([
      't.conf:6:9: warning: (VI_1) auth_pass is longer than 8 characters; only the first 8 are used',
    ]);
    expect(long.config?.vrrpInstances[0]?.authentication).toEqual({ type: 'PASS', password: 'abcdefgh' });
    const v3 = check(instance('    version 3\n    authentication {\n        auth_type AH\n        auth_pass x\n    }'));
    expect(v3.warnings).toEqual([
      't.conf:5:5: warning: (VI_1) VRRP version 3 does not support authentication; ignoring it',
    ]);
    expect(v3.config?.vrrpInstances[0]?.authentication).toBeUndefined();
  });

  test('v2 without VIPs is only a warning, like keepalived', () => {
    const r = check('vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n}\n');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual(['t.conf:1:1: warning: (VI_1) no VIP specified; at least one is sensible']);
  });

  test('several errors are all reported, in file order', () => {
    const r = check(instance('    priority 0\n    advert_int x\n    state FOO'));
    expect(r.errors).toEqual([
      "t.conf:4:5: error: (VI_1) priority '0' not valid - must be between 1 & 255",
      "t.conf:5:5: error: advert_int 'x' is not a valid number",
      "t.conf:6:5: error: (VI_1) unknown state 'FOO'; use MASTER or BACKUP",
    ]);
  });
});
