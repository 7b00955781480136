import { describe, expect, test } from 'vitest';
import { check, instance } from './helpers.js';

describe('global_defs', () => {
  test('VRRP keywords land in the model', () => {
    const { config, lines } = check(`global_defs {
  router_id LAB_1
  vrrp_version 3
  enable_script_security
  script_user keepalived_script nogroup
  notify_fifo /run/k.fifo root
  vrrp_notify_fifo /run/v.fifo
  vrrp_notify_fifo_script "/usr/bin/fifo-reader --x"
  vrrp_garp_master_delay 2
  vrrp_garp_master_repeat 3
  vrrp_garp_master_refresh 60
  vrrp_garp_master_refresh_repeat 2
  vrrp_garp_interval 0.001
  vrrp_gna_interval 0.000001
  vrrp_lower_prio_no_advert
  vrrp_higher_prio_send_advert true
  vrrp_skip_check_adv_addr
  vrrp_check_unicast_src
  vrrp_startup_delay 5.5
  vrrp_down_timer_adverts 5
  vrrp_mcast_group4 224.0.0.19
  vrrp_mcast_group6 ff02::13
  vrrp_notify_priority_changes
}
`);
    expect(lines.filter((l) => l.includes('error'))).toEqual([]);
    // Every one of them is honoured: no warning.
    expect(lines).toEqual([]);
    expect(config?.globalDefs).toMatchObject({
      routerId: 'LAB_1',
      vrrpVersion: 3,
      enableScriptSecurity: true,
      scriptUser: { user: 'keepalived_script', group: 'nogroup' },
      notifyFifo: { path: '/run/k.fifo', user: 'root' },
      vrrpNotifyFifo: { path: '/run/v.fifo' },
      vrrpNotifyFifoScript: { argv: ['/usr/bin/fifo-reader', '--x'] },
      garpMasterDelay: 2,
      garpMasterRepeat: 3,
      // The lower-priority GARP settings follow the master ones unless set.
      garpLowerPrioDelay: 2,
      garpLowerPrioRepeat: 3,
      garpMasterRefresh: 60,
      garpMasterRefreshRepeat: 2,
      garpInterval: 0.001,
      gnaInterval: 0.000001,
      lowerPrioNoAdvert: true,
      higherPrioSendAdvert: true,
      skipCheckAdvAddr: true,
      checkUnicastSrc: true,
      startupDelay: 5.5,
      downTimerAdverts: 5,
      mcastGroup4: '224.0.0.19',
      mcastGroup6: 'ff02::13',
      vrrpNotifyPriorityChanges: true,
    });
  });

  test('instances inherit global GARP settings even when global_defs comes later', () => {
    const { config } = check(
      `${instance('')}global_defs {\n  vrrp_garp_master_repeat 1\n  vrrp_garp_lower_prio_repeat 2\n}\n`,
    );
    expect(config?.vrrpInstances[0]).toMatchObject({ garpMasterRepeat: 1, garpLowerPrioRepeat: 2, garpMasterDelay: 5 });
  });

  test('vrrp_min_garp sends one GARP and no second burst', () => {
    const { config } = check('global_defs {\n  vrrp_min_garp\n}\n');
    expect(config?.globalDefs).toMatchObject({ minGarp: true, garpMasterRepeat: 1, garpMasterDelay: 0 });
  });

  test('non-VRRP keywords warn "not honoured by vrrpd" with keyword, line and the reason, blocks included', () => {
    const r = check(`global_defs {
   notification_email {
     acassen
   }
   notification_email_from a@b.c
   smtp_server 192.168.200.1
   smtp_connect_timeout 30
   lvs_flush
   enable_snmp_vrrp
}
`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      "t.conf:2:4: warning: 'notification_email' is accepted by keepalived but not honoured by vrrpd: e-mail alerts are not implemented",
      "t.conf:5:4: warning: 'notification_email_from' is accepted by keepalived but not honoured by vrrpd: e-mail alerts are not implemented",
      "t.conf:6:4: warning: 'smtp_server' is accepted by keepalived but not honoured by vrrpd: e-mail alerts are not implemented",
      "t.conf:7:4: warning: 'smtp_connect_timeout' is accepted by keepalived but not honoured by vrrpd: e-mail alerts are not implemented",
      "t.conf:8:4: warning: 'lvs_flush' is accepted by keepalived but not honoured by vrrpd: LVS / checker setting; vrrpd implements VRRP only",
      "t.conf:9:4: warning: 'enable_snmp_vrrp' is accepted by keepalived but not honoured by vrrpd: SNMP and D-Bus are not implemented",
    ]);
    expect(r.diagnostics[2]?.keyword).toBe('smtp_server');
  });

  test('bad values are errors', () => {
    expect(check('global_defs {\n  vrrp_version 4\n}\n').errors).toEqual([
      't.conf:2:3: error: vrrp_version 4 is out of range [2, 3]',
    ]);
    expect(check('global_defs {\n  vrrp_mcast_group4 ff02::12\n}\n').errors).toEqual([
      "t.conf:2:3: error: vrrp_mcast_group4: 'ff02::12' is not an IPv4 address",
    ]);
  });
});

describe('LVS and other keepalived-only blocks', () => {
  test('each block is skipped with ONE warning naming the keyword and line, whatever it contains (static_ipaddress is honoured)', () => {
    const r = check(`virtual_server_group VSG {
  10.0.0.1 80
}
virtual_server 10.10.10.2 1358 {
    delay_loop 6
    lb_algo rr
    real_server 192.168.200.2 1358 {
        weight 1
        HTTP_GET {
            url {
              path /testurl3/test.jsp
            }
        }
    }
}
static_ipaddress {
    192.168.200.16 dev eth0 scope link
}
static_routes {
    192.168.2.0/24 via 192.168.1.100 dev eth0
}
linkbeat_interfaces {
    eth2
}
${instance('')}`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      "t.conf:1:1: warning: 'virtual_server_group' is accepted by keepalived but not honoured by vrrpd: LVS / checker setting; vrrpd implements VRRP only",
      "t.conf:4:1: warning: 'virtual_server' is accepted by keepalived but not honoured by vrrpd: LVS / checker setting; vrrpd implements VRRP only",
      't.conf:19:1: warning: static_routes: keepalived re-adds it when one is deleted from outside; vrrpd does not watch for that (add no_track to each line to silence)',
      "t.conf:22:1: warning: 'linkbeat_interfaces' is accepted by keepalived but not honoured by vrrpd: vrrpd always uses netlink link state",
    ]);
    expect(r.config?.ignoredBlocks.map((b) => b.keyword)).toEqual([
      'virtual_server_group',
      'virtual_server',
      'linkbeat_interfaces',
    ]);
  });
});

describe('vrrp_track_process', () => {
  test('fields, defaults (weight 0, quorum 1), delay sets both delays; errors name the line', () => {
    const processes = `vrrp_track_process haproxy {
  process /usr/sbin/haproxy -f "/etc/haproxy/haproxy.cfg"
  param_match initial
  weight -20 reverse
  quorum 2
  quorum_max 3
  delay 1.5
  full_command
}
vrrp_track_process nginx {
  process nginx
}
`;
    const inst = `vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  track_process {
    haproxy weight 10 noreverse
    nginx
  }
  virtual_ipaddress {
    10.0.0.100/24
  }
}
`;
    const { config, lines } = check(`${processes}vrrp_track_process bad {\n  quorum 2\n}\n${inst}`);
    expect(lines).toEqual(["t.conf:13:1: error: vrrp_track_process bad has no 'process'"]);
    expect(config).toBeUndefined();
    const ok = check(`${processes}${inst}`);
    expect(ok.lines).toEqual([]);
    expect(ok.config?.trackProcesses.map(({ pos: _, ...t }) => t)).toEqual([
      {
        name: 'haproxy',
        process: '/usr/sbin/haproxy',
        params: ['-f', '/etc/haproxy/haproxy.cfg'],
        paramMatch: 'initial',
        weight: -20,
        weightReverse: true,
        quorum: 2,
        quorumMax: 3,
        forkDelay: 1.5,
        terminateDelay: 1.5,
        fullCommand: true,
      },
      {
        name: 'nginx',
        process: 'nginx',
        params: [],
        paramMatch: 'none',
        weight: 0,
        weightReverse: false,
        quorum: 1,
        quorumMax: Number.MAX_SAFE_INTEGER,
        forkDelay: 0,
        terminateDelay: 0,
        fullCommand: false,
      },
    ]);
    expect(ok.config?.vrrpInstances[0]?.trackProcesses.map(({ pos: _, ...r }) => r)).toEqual([
      { name: 'haproxy', weight: 10, reverse: false },
      { name: 'nginx' },
    ]);
    expect(check(instance('  track_process {\n    nope\n  }\n')).errors[0]).toContain(
      "track_process 'nope' is not defined (no vrrp_track_process nope { })",
    );
  });
});

describe('vrrp_script and track_file', () => {
  test('vrrp_script fields and defaults', () => {
    const { config, lines } = check(`vrrp_script chk_a {
  script "killall -0 haproxy"   # cheaper than pidof
  interval 2
  timeout 5
  weight -4 reverse
  rise 3
  fall 2
  user nobody nogroup
  init_fail
}
vrrp_script chk_b {
  script /bin/true
}
`);
    expect(lines).toEqual([]);
    expect(config?.vrrpScripts).toMatchObject([
      {
        name: 'chk_a',
        script: { command: 'killall -0 haproxy', argv: ['killall', '-0', 'haproxy'] },
        interval: 2,
        timeout: 5,
        weight: -4,
        weightReverse: true,
        rise: 3,
        fall: 2,
        user: 'nobody',
        group: 'nogroup',
        initFail: true,
      },
      { name: 'chk_b', interval: 1, timeout: 1, weight: 0, weightReverse: false, rise: 1, fall: 1, initFail: false },
    ]);
  });

  test('track_file and the deprecated vrrp_track_file', () => {
    const r = check(`track_file tf1 {
  file "/run/prio"
  weight -2 reverse
  init_file 5 overwrite
}
vrrp_track_file tf2 {
  file /run/x
}
`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual(["t.conf:6:1: warning: 'vrrp_track_file' is deprecated; use 'track_file'"]);
    expect(r.config?.trackFiles).toMatchObject([
      { name: 'tf1', file: '/run/prio', weight: -2, weightReverse: true, initFile: { value: 5, overwrite: true } },
      { name: 'tf2', file: '/run/x', weight: 1, weightReverse: false },
    ]);
  });

  test('unknown keywords inside are errors', () => {
    expect(check('vrrp_script s {\n  script /bin/true\n  intervall 2\n}\n').errors).toEqual([
      "t.conf:3:3: error: unknown keyword 'intervall' in vrrp_script s",
    ]);
  });
});

describe('vrrp_sync_group', () => {
  test('members, tracking and notify scripts', () => {
    const { config, lines } = check(`vrrp_script chk {
  script /bin/true
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
  track_interface {
    eth3 weight 10
  }
  track_script {
    chk
  }
  notify_master "/usr/local/bin/vrrp.mast arg1 arg2"
  notify_backup /usr/local/bin/vrrp.back
  notify_fault "/usr/local/bin/vrrp.fault arg1"
  notify /usr/local/bin/any
  sync_group_tracking_weight
}
${instance('')}${instance('').replace('VI_1', 'VI_2').replace('51', '52')}`);
    expect(lines).toEqual([]);
    expect(config?.syncGroups[0]).toMatchObject({
      name: 'G1',
      members: ['VI_1', 'VI_2'],
      trackInterfaces: [{ name: 'eth3', weight: 10 }],
      trackScripts: [{ name: 'chk' }],
      notify: {
        master: { argv: ['/usr/local/bin/vrrp.mast', 'arg1', 'arg2'] },
        any: { command: '/usr/local/bin/any' },
      },
      trackingWeight: true,
    });
    expect(config?.vrrpInstances.map((i) => i.syncGroup)).toEqual(['G1', 'G1']);
  });

  test('members listed without group { } are ignored with a warning, as keepalived does', () => {
    const r = check(`vrrp_sync_group VG1 {\n  VI_1\n}\n${instance('')}`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toContain(
      "t.conf:2:3: warning: unknown keyword 'VI_1' in vrrp_sync_group VG1; members must be inside 'group { }', so it is ignored",
    );
    expect(r.config?.syncGroups[0]?.members).toEqual([]);
  });

  test('an instance may belong to only one sync group', () => {
    const r = check(
      `vrrp_sync_group A {\n  group {\n    VI_1\n  }\n}\nvrrp_sync_group B {\n  group {\n    VI_1\n  }\n}\n${instance('')}`,
    );
    expect(r.errors).toEqual(['t.conf:6:1: error: vrrp_sync_group B: VI_1 is already in sync group A']);
  });
});

describe('syntax details', () => {
  test('comments after values, quoted strings and braces on the same line', () => {
    const { config, lines } = check(`vrrp_instance VI_1{   # brace glued to the name
    interface eth0   ! bang comment
    virtual_router_id 51#no space before the comment
    priority 90 # 优先级
    notify_master "/etc/keepalived/notify.sh MASTER # not a comment"
    unicast_peer { 10.0.0.2 }
    virtual_ipaddress { 10.0.0.100/24 dev eth0 }
}`);
    expect(lines).toEqual([]);
    const vi = config?.vrrpInstances[0];
    expect(vi?.virtualRouterId).toBe(51);
    expect(vi?.priority).toBe(90);
    expect(vi?.notify.master?.command).toBe('/etc/keepalived/notify.sh MASTER # not a comment');
    expect(vi?.unicastPeers.map((p) => p.address)).toEqual(['10.0.0.2']);
    expect(vi?.virtualIpAddresses[0]).toMatchObject({ address: '10.0.0.100', dev: 'eth0' });
  });

  test('the opening brace may be on the next line', () => {
    const { config, lines } = check(
      'vrrp_instance VI_1\n{\n  interface eth0\n  virtual_router_id 5\n  virtual_ipaddress\n  {\n    10.0.0.1\n  }\n}\n',
    );
    expect(lines).toEqual([]);
    expect(config?.vrrpInstances[0]?.virtualIpAddresses[0]?.address).toBe('10.0.0.1');
  });

  test('conditional configuration with a config id (Debian conditional_conf style)', () => {
    const text = `vrrp_instance VI_0 {\n  interface eth0\n  virtual_router_id 1\n@high  priority 170\n@low  priority 85\n  virtual_ipaddress {\n    10.1.0.254/32\n  }\n}\n`;
    expect(check(text, { configId: 'high' }).config?.vrrpInstances[0]?.priority).toBe(170);
    expect(check(text, { configId: 'low' }).config?.vrrpInstances[0]?.priority).toBe(85);
    expect(check(text).config?.vrrpInstances[0]?.priority).toBe(100);
  });
});

describe('notify_priority_changes', () => {
  test("an instance's own setting, else its sync group's, else global vrrp_notify_priority_changes (keepalived)", () => {
    const two = `${instance('')}${instance('    notify_priority_changes off').replace('VI_1', 'VI_2').replace('51', '52')}${instance('').replace('VI_1', 'VI_3').replace('51', '53')}`;
    const group = 'vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n  notify_priority_changes\n}\n';
    const byName = (text: string) =>
      Object.fromEntries((check(text).config?.vrrpInstances ?? []).map((i) => [i.name, i.notifyPriorityChanges]));
    expect(byName(`${group}${two}`)).toEqual({ VI_1: true, VI_2: false, VI_3: false });
    expect(byName(`global_defs {\n  vrrp_notify_priority_changes\n}\n${two}`)).toEqual({
      VI_1: true,
      VI_2: false,
      VI_3: true,
    });
  });
});

describe('sync group tracking (keepalived vrrp_complete_instance / vrrp_complete_init)', () => {
  const text = (
    keep: string,
  ) => `vrrp_script s0 {\n  script /bin/true\n}\nvrrp_script s5 {\n  script /bin/true\n  weight 5\n}
track_file f1 {\n  file /run/f1\n}\ntrack_file f3 {\n  file /run/f3\n  weight 3\n}
${instance('    track_interface {\n      eth1 weight 10\n      eth2\n    }\n    track_script {\n      s0\n      s5\n    }\n    track_file {\n      f1\n      f3\n    }')}
vrrp_sync_group G {\n  group {\n    VI_1\n  }\n  track_interface {\n    eth9 weight -5\n  }\n${keep}}\n`;

  test("without sync_group_tracking_weight a member's tracking can only fault it; the group's own tracks are added", () => {
    const r = check(text(''));
    const vi = r.config?.vrrpInstances[0];
    expect(vi?.trackInterfaces.map((t) => [t.name, t.weight])).toEqual([
      ['eth1', 0],
      ['eth2', 0],
      ['eth9', -5],
    ]);
    expect(vi?.trackScripts.map((t) => t.name)).toEqual(['s0']);
    expect(vi?.trackFiles.map((t) => [t.name, t.weight])).toEqual([['f1', 0]]);
    expect(r.warnings.map((w) => w.replace(/ due to .*/, ''))).toEqual([
      't.conf:19:7: warning: (VI_1) ignoring the weight of tracked interface eth1',
      't.conf:24:7: warning: (VI_1) ignoring tracked script s5 with weight 5',
      't.conf:27:7: warning: (VI_1) ignoring the weight of tracked file f1',
      't.conf:28:7: warning: (VI_1) ignoring tracked file f3 with weight 3',
    ]);
  });

  test('with sync_group_tracking_weight the weights stay', () => {
    const vi = check(text('  sync_group_tracking_weight\n')).config?.vrrpInstances[0];
    expect(vi?.trackInterfaces.map((t) => t.weight)).toEqual([10, 0, -5]);
    expect(vi?.trackScripts.map((t) => t.name)).toEqual(['s0', 's5']);
    expect(vi?.trackFiles.map((t) => t.name)).toEqual(['f1', 'f3']);
  });

  test("the group's track_process reaches every member; an undefined one is an error naming the group", () => {
    const proc = 'vrrp_track_process p1 {\n  process nginx\n  weight -10\n}\n';
    const group = (ref: string) =>
      `vrrp_sync_group G {\n  group {\n    VI_1\n  }\n  track_process {\n    ${ref}\n  }\n  sync_group_tracking_weight\n}\n`;
    const vi = check(`${proc}${instance('')}\n${group('p1 weight -30')}`).config?.vrrpInstances[0];
    expect(vi?.trackProcesses.map((t) => [t.name, t.weight])).toEqual([['p1', -30]]);
    expect(check(`${proc}${instance('')}\n${group('p2')}`).errors).toEqual([
      expect.stringContaining("(G) track_process 'p2' is not defined"),
    ]);
  });
});

describe('static_ipaddress', () => {
  test('lines as virtual_ipaddress; one without dev is ignored with a warning (no instance to take it from)', () => {
    const r = check(`static_ipaddress {\n  10.0.0.5/24 dev eth0 no_track\n  10.0.0.6/24\n}\n${instance('')}`);
    expect(r.config?.staticAddresses?.map((a) => [a.address, a.dev, a.noTrack])).toEqual([['10.0.0.5', 'eth0', true]]);
    expect(r.warnings).toEqual(['t.conf:3:3: warning: static_ipaddress 10.0.0.6 has no dev; it is ignored']);
  });
});

describe('notify_deleted', () => {
  test('with or without a script it sets the flag; a second one is ignored with a warning, as in keepalived', () => {
    const r = check(instance('    notify_deleted\n    notify_deleted /bin/true'));
    const n = r.config?.vrrpInstances[0]?.notify;
    expect(n?.notifyDeleted).toBe(true);
    expect(n?.deleted).toBeUndefined();
    expect(r.warnings).toEqual(['t.conf:5:5: warning: notify_deleted already specified - ignoring']);
    expect(check(instance('    notify_deleted /bin/true')).config?.vrrpInstances[0]?.notify.deleted?.command).toBe(
      '/bin/true',
    );
  });
});

describe('garp_group', () => {
  test('interface / interfaces, intervals; an interface already in a group stays in the first', () => {
    const r = check(
      `garp_group {\n  garp_interval 0.2\n  interface eth0\n}\ngarp_group {\n  gna_interval 0.1\n  interfaces {\n    eth1\n    eth0\n  }\n}\n${instance('')}`,
    );
    expect(r.config?.garpGroups?.map((g) => [g.interfaces, g.aggregate, g.garpIntervalS, g.gnaIntervalS])).toEqual([
      [['eth0'], false, 0.2, undefined],
      [['eth1'], true, undefined, 0.1],
    ]);
    expect(r.warnings).toEqual(['t.conf:7:3: warning: garp_group already specified for eth0 - ignoring']);
  });
});

describe('umask', () => {
  test("keepalived's forms: octal, hex, decimal, I{R,W,X}{USR,GRP,OTH} bits; default 0177; a bad one names the line", () => {
    const umaskOf = (v: string) => check(`global_defs {\n  umask ${v}\n}\n${instance('')}`);
    expect(check(instance('')).config?.globalDefs.umask).toBe(0o177);
    expect(umaskOf('027').config?.globalDefs.umask).toBe(0o027);
    expect(umaskOf('0x12').config?.globalDefs.umask).toBe(0o022);
    expect(umaskOf('18').config?.globalDefs.umask).toBe(0o022);
    expect(umaskOf('IWGRP|IWOTH').config?.globalDefs.umask).toBe(0o022);
    expect(umaskOf('IWGRP | IXOTH').config?.globalDefs.umask).toBe(0o021);
    expect(umaskOf('0999').errors).toEqual(['t.conf:2:3: error: umask: invalid umask value 0999']);
    expect(umaskOf('IWGRP|NOPE').errors).toEqual(['t.conf:2:3: error: umask: unknown umask bit NOPE']);
  });
});
