import { describe, expect, test } from 'vitest';
import { check, instance } from './helpers.js';

describe('vrrp_instance model', () => {
  test('every instance keyword lands in the model', () => {
    const { config, lines } = check(`
vrrp_script chk { 
  script "/bin/true"
}
track_file tf {
  file "/run/w"
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 2
    version 2
    preempt_delay 4.5
    accept
    dont_track_primary
    promote_secondaries
    track_interface {
        eth1
        eth2 weight -20 reverse
    }
    track_script {
        chk weight 10 noreverse
    }
    track_file {
        tf weight 3
    }
    virtual_ipaddress {
        10.0.0.100/24 dev eth0 brd 10.0.0.255 label eth0:1 scope global no_track
        10.0.0.101
    }
    virtual_ipaddress_excluded {
        2001:db8::5/64 dev eth0
    }
    unicast_src_ip 10.0.0.1
    unicast_peer {
        10.0.0.2 min_ttl 250 max_ttl 255
        10.0.0.3
    }
    unicast_ttl 10
    mcast_src_ip 10.0.0.1
    authentication {
        auth_type PASS
        auth_pass secret
    }
    notify_master "/etc/k/notify.sh MASTER" root
    notify_backup /etc/k/b.sh
    notify_fault "/etc/k/f.sh 'a b'"
    notify_stop /etc/k/s.sh
    notify "/etc/k/any.sh"
    notify_master_rx_lower_pri /etc/k/rx.sh
    garp_master_delay 1
    garp_master_repeat 2
    garp_master_refresh 30
    garp_master_refresh_repeat 3
    garp_lower_prio_delay 4
    garp_lower_prio_repeat 6
    lower_prio_no_advert
    higher_prio_send_advert on
    skip_check_adv_addr yes
    down_timer_adverts 4
    debug 2
}
`);
    expect(lines.filter((l) => l.includes('error'))).toEqual([]);
    // Every keyword vrrpd parses but does not (yet) honour warns, in file order.
    expect(lines.map((l) => /^t\.conf:(\d+):\d+: warning: '([^']+)'/.exec(l)?.slice(1).join(' '))).toEqual([
      '63 debug',
    ]);
    const vi = config?.vrrpInstances[0];
    expect(vi).toMatchObject({
      name: 'VI_1',
      state: 'BACKUP',
      stateConfigured: true,
      promoteSecondaries: true,
      interface: 'eth0',
      virtualRouterId: 51,
      priority: 150,
      version: 2,
      family: 'ipv4',
      advertIntervalCs: 200,
      preempt: true,
      preemptDelay: 4.5,
      accept: true,
      dontTrackPrimary: true,
      unicastSrcIp: '10.0.0.1',
      unicastTtl: 10,
      mcastSrcIp: '10.0.0.1',
      authentication: { type: 'PASS', password: 'secret' },
      garpMasterDelay: 1,
      garpMasterRepeat: 2,
      garpMasterRefresh: 30,
      garpMasterRefreshRepeat: 3,
      garpLowerPrioDelay: 4,
      garpLowerPrioRepeat: 6,
      lowerPrioNoAdvert: true,
      higherPrioSendAdvert: true,
      skipCheckAdvAddr: true,
      checkUnicastSrc: true,
      downTimerAdverts: 4,
      debug: 2,
    });
    expect(vi?.trackInterfaces.map(({ name, weight, reverse }) => ({ name, weight, reverse }))).toEqual([
      { name: 'eth1', weight: 0, reverse: false },
      { name: 'eth2', weight: -20, reverse: true },
    ]);
    expect(vi?.trackScripts).toMatchObject([{ name: 'chk', weight: 10, reverse: false }]);
    expect(vi?.trackFiles).toMatchObject([{ name: 'tf', weight: 3 }]);
    expect(vi?.virtualIpAddresses).toMatchObject([
      {
        address: '10.0.0.100',
        prefixLength: 24,
        dev: 'eth0',
        brd: '10.0.0.255',
        label: 'eth0:1',
        scope: 'global',
        noTrack: true,
      },
      { address: '10.0.0.101', prefixLength: 32, noTrack: false },
    ]);
    expect(vi?.excludedIpAddresses).toMatchObject([{ address: '2001:db8::5', family: 'ipv6', prefixLength: 64 }]);
    expect(vi?.unicastPeers).toMatchObject([
      { address: '10.0.0.2', minTtl: 250, maxTtl: 255 },
      { address: '10.0.0.3', family: 'ipv4' },
    ]);
    expect(vi?.notify.master).toMatchObject({
      command: '/etc/k/notify.sh MASTER',
      argv: ['/etc/k/notify.sh', 'MASTER'],
      user: 'root',
    });
    expect(vi?.notify.fault?.argv).toEqual(['/etc/k/f.sh', 'a b']);
    expect(vi?.notify.any?.command).toBe('/etc/k/any.sh');
    expect(vi?.notify.masterRxLowerPri?.command).toBe('/etc/k/rx.sh');
    expect(vi?.notify.stop?.command).toBe('/etc/k/s.sh');
    expect(vi?.notify.backup?.command).toBe('/etc/k/b.sh');
  });

  test('keepalived defaults', () => {
    const vi = check(instance('')).config?.vrrpInstances[0];
    expect(vi).toMatchObject({
      state: 'BACKUP',
      stateConfigured: false,
      priority: 100,
      priorityConfigured: false,
      version: 2,
      advertIntervalCs: 100,
      preempt: true,
      preemptDelay: 0,
      accept: true,
      strictMode: false,
      unicastTtl: 255,
      garpMasterDelay: 5,
      garpMasterRepeat: 5,
      garpMasterRefresh: 0,
      garpMasterRefreshRepeat: 1,
      garpLowerPrioDelay: 5,
      garpLowerPrioRepeat: 5,
      lowerPrioNoAdvert: false,
      higherPrioSendAdvert: false,
      downTimerAdverts: 3,
      debug: 0,
    });
  });

  test('unset priority with state MASTER is 255; priority 255 without state starts MASTER', () => {
    expect(check(instance('    state MASTER')).config?.vrrpInstances[0]).toMatchObject({
      priority: 255,
      state: 'MASTER',
    });
    expect(check(instance('    priority 255')).config?.vrrpInstances[0]).toMatchObject({
      priority: 255,
      state: 'MASTER',
    });
    expect(check(instance('    state MASTER\n    priority 100')).config?.vrrpInstances[0]).toMatchObject({
      priority: 100,
      state: 'MASTER',
    });
  });

  test('nopreempt', () => {
    expect(check(instance('    nopreempt')).config?.vrrpInstances[0]?.preempt).toBe(false);
    // `preempt` is accepted for backwards compatibility and undoes nopreempt.
    expect(check(instance('    nopreempt\n    preempt')).config?.vrrpInstances[0]?.preempt).toBe(true);
  });

  test('IPv6 VIPs make an IPv6 instance and force version 3', () => {
    const r = check(instance('    version 2', 'fe80::1/64'));
    expect(r.config?.vrrpInstances[0]).toMatchObject({ family: 'ipv6', version: 3 });
    expect(r.warnings).toEqual(['t.conf:4:5: warning: (VI_1) IPv6 requires VRRPv3; using version 3']);
    const v6 = check(instance('', '2001:db8::1')).config?.vrrpInstances[0];
    expect(v6).toMatchObject({ version: 3, family: 'ipv6' });
    expect(v6?.virtualIpAddresses[0]?.prefixLength).toBe(128);
  });

  test('global vrrp_version and vrrp_strict feed the instance defaults', () => {
    const { config, errors } = check(`global_defs {\n  vrrp_version 3\n  vrrp_strict\n}\n${instance('')}`);
    expect(errors).toEqual([]);
    expect(config?.vrrpInstances[0]).toMatchObject({
      version: 3,
      strictMode: true,
      accept: false,
      lowerPrioNoAdvert: true,
      garpLowerPrioRepeat: 0,
    });
  });

  test('unimplemented instance keywords warn once each; use_vmac and virtual_routes are read', () => {
    const r = check(
      instance('    use_vmac\n    smtp_alert\n    virtual_routes {\n      10.1.0.0/16 via 10.0.0.254\n    }'),
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      "t.conf:5:5: warning: 'smtp_alert' is accepted by keepalived but not honoured by vrrpd: e-mail alerts are not implemented",
      't.conf:6:5: warning: virtual_routes: keepalived sends the Master to Backup when one is deleted from outside; vrrpd does not watch for that (add no_track to each line to silence)',
    ]);
    expect(r.config?.vrrpInstances[0]).toMatchObject({
      vmac: { xmitBase: false },
      virtualRoutes: [{ dst: '10.1.0.0/16', via: '10.0.0.254', table: 254 }],
    });
  });
});

describe('advert_int', () => {
  test('v2 rounds to whole seconds with a warning (0.1 -> 1, 1.5 -> 2)', () => {
    const a = check(instance('    advert_int 0.1'));
    expect(a.config?.vrrpInstances[0]?.advertIntervalCs).toBe(100);
    expect(a.warnings).toEqual([
      't.conf:4:5: warning: (VI_1) VRRPv2 advertisement interval 0.1s must be an integer, rounding to 1s',
    ]);
    expect(check(instance('    advert_int 1.5')).config?.vrrpInstances[0]?.advertIntervalCs).toBe(200);
    expect(check(instance('    advert_int 255')).lines).toEqual([]);
  });

  test('v2 accepts 1..255 only', () => {
    expect(check(instance('    advert_int 256')).errors).toEqual([
      't.conf:4:5: error: advert_int 256 is out of range [0.01, 255]',
    ]);
  });

  test('v3 uses 0.01 s steps, rounding with a warning', () => {
    const a = check(instance('    version 3\n    advert_int 0.123'));
    expect(a.config?.vrrpInstances[0]?.advertIntervalCs).toBe(12);
    expect(a.warnings).toEqual([
      't.conf:5:5: warning: (VI_1) VRRPv3 advertisement interval 0.123s must be in units of 10ms, rounding to 0.12s',
    ]);
    expect(check(instance('    version 3\n    advert_int 0.01')).config?.vrrpInstances[0]?.advertIntervalCs).toBe(1);
    expect(check(instance('    version 3\n    advert_int 40.95')).config?.vrrpInstances[0]?.advertIntervalCs).toBe(
      4095,
    );
    expect(check(instance('', 'fe80::1')).config?.vrrpInstances[0]?.advertIntervalCs).toBe(100);
  });

  test('v3 outside [0.01, 40.95] is an error', () => {
    expect(check(instance('    version 3\n    advert_int 41')).errors).toEqual([
      't.conf:5:5: error: (VI_1) advert_int 41s: VRRPv3 advertisement interval is out of range [0.01, 40.95]',
    ]);
    // 40.955 s rounds to 4096 cs, one more than the 12-bit field holds (keepalived 2.2.7 then sends 0).
    expect(check(instance('    version 3\n    advert_int 40.955')).errors).toEqual([
      't.conf:5:5: error: (VI_1) advert_int 40.955s: VRRPv3 advertisement interval is out of range [0.01, 40.95]',
    ]);
    expect(check(instance('    version 3\n    advert_int 0.001')).errors).toEqual([
      't.conf:5:5: error: advert_int 0.001 is out of range [0.01, 255]',
    ]);
  });
});
