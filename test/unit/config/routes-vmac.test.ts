import { describe, expect, test } from 'vitest';
import { check as checkAll, instance } from './helpers.js';

const WATCH = /does not watch for that/;

/** The route-watching warning is tested once below; the other tests leave it out. */
function check(text: string) {
  const r = checkAll(text);
  return { ...r, warnings: r.warnings.filter((w) => !WATCH.test(w)), lines: r.lines.filter((w) => !WATCH.test(w)) };
}

describe('virtual_routes / static_routes', () => {
  test("keepalived's route words: src, to, via/gw, dev, table, metric, scope, protocol, types", () => {
    const r = check(
      instance(`    virtual_routes {
      src 10.0.0.100 to 10.1.0.0/16 via 10.0.0.254 dev eth0 table 100 metric 7 scope link
      blackhole 10.2.0.0/24
      unreachable 10.3.0.0/24 table main
      prohibit 10.4.0.1
      default via 10.0.0.1 table 200 protocol 4 no_track
      10.7.0.0/24 dev eth0 protocol 4
      10.5.0.0/24 via 10.0.0.252 or 10.0.0.253
      10.6.0.0/24 nexthop via 10.0.0.250 weight 2 nexthop via 10.0.0.251 dev eth0
      inet6 2001:db8::/32 via fe80::1 dev eth0 no_track
    }`),
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      't.conf:10:7: warning: virtual_routes: Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol',
      't.conf:11:7: warning: virtual_routes: "or" for routes is deprecated. Please use "nexthop"',
    ]);
    const routes = r.config?.vrrpInstances[0]?.virtualRoutes ?? [];
    expect(routes.map(({ pos: _p, ...x }) => x)).toEqual([
      {
        family: 'ipv4',
        dst: '10.1.0.0/16',
        type: 'unicast',
        src: '10.0.0.100',
        via: '10.0.0.254',
        dev: 'eth0',
        table: 100,
        metric: 7,
        scope: 253,
        onlink: false,
        noTrack: false,
      },
      { family: 'ipv4', dst: '10.2.0.0/24', type: 'blackhole', table: 254, onlink: false, noTrack: false },
      { family: 'ipv4', dst: '10.3.0.0/24', type: 'unreachable', table: 254, onlink: false, noTrack: false },
      { family: 'ipv4', dst: '10.4.0.1/32', type: 'prohibit', table: 254, onlink: false, noTrack: false },
      {
        family: 'ipv4',
        dst: '0.0.0.0/0',
        type: 'unicast',
        via: '10.0.0.1',
        table: 200,
        protocol: 4,
        onlink: false,
        noTrack: true,
      },
      { family: 'ipv4', dst: '10.7.0.0/24', type: 'unicast', dev: 'eth0', table: 254, onlink: false, noTrack: false },
      {
        family: 'ipv4',
        dst: '10.5.0.0/24',
        type: 'unicast',
        nexthops: [{ via: '10.0.0.252' }, { via: '10.0.0.253' }],
        table: 254,
        onlink: false,
        noTrack: false,
      },
      {
        family: 'ipv4',
        dst: '10.6.0.0/24',
        type: 'unicast',
        nexthops: [
          { via: '10.0.0.250', weight: 2 },
          { via: '10.0.0.251', dev: 'eth0' },
        ],
        table: 254,
        onlink: false,
        noTrack: false,
      },
      {
        family: 'ipv6',
        dst: '2001:db8::/32',
        type: 'unicast',
        via: 'fe80::1',
        dev: 'eth0',
        table: 254,
        onlink: false,
        noTrack: true,
      },
    ]);
  });

  test('a bad line is skipped with a warning naming it (keepalived runs without it); other options warn', () => {
    const r = check(`static_routes {
    10.9.0.0/24 via 10.0.0.1 mtu lock 1400
    10.8.0./24 via 10.0.0.1
}
${instance('')}`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      "t.conf:2:5: warning: static_routes: route option 'mtu' is not implemented by vrrpd; ignored",
      "t.conf:3:5: warning: static_routes: unknown route keyword '10.8.0./24'; line ignored",
    ]);
    expect(r.config?.staticRoutes?.map((x) => x.dst)).toEqual(['10.9.0.0/24']);
  });
});

test('a block with tracked lines says once that vrrpd does not watch them; all no_track is silent', () => {
  const r = checkAll(
    instance(
      '    virtual_routes {\n      10.1.0.0/16 via 10.0.0.254\n      10.2.0.0/16 via 10.0.0.254 no_track\n    }',
    ),
  );
  expect(r.warnings).toEqual([
    't.conf:4:5: warning: virtual_routes: keepalived sends the Master to Backup when one is deleted from outside; vrrpd does not watch for that (add no_track to each line to silence)',
  ]);
  expect(checkAll(`static_rules {\n  from 10.1.0.0/24 table 1 priority 5 no_track\n}\n${instance('')}`).lines).toEqual(
    [],
  );
});

describe('virtual_rules / static_rules', () => {
  test('from/to/table/priority/iif/oif/fwmark/not and the actions', () => {
    const r = check(
      instance(`    virtual_rules {
      from 10.0.0.0/24 to 10.9.0.0/16 table 100 priority 50 iif eth0 oif eth1 fwmark 0x10/0xff not
      from all lookup main pref 60
      to 10.7.0.0/24 blackhole priority 70
      from 2001:db8::/64 table 7 priority 80
      fwmark 5 goto 90 priority 85
    }`),
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.config?.vrrpInstances[0]?.virtualRules?.map(({ pos: _p, ...x }) => x)).toEqual([
      {
        family: 'ipv4',
        from: '10.0.0.0/24',
        to: '10.9.0.0/16',
        table: 100,
        action: 'table',
        priority: 50,
        iif: 'eth0',
        oif: 'eth1',
        fwmark: 16,
        fwmask: 255,
        not: true,
        noTrack: false,
      },
      { family: 'ipv4', table: 254, action: 'table', priority: 60, not: false, noTrack: false },
      { family: 'ipv4', to: '10.7.0.0/24', action: 'blackhole', priority: 70, not: false, noTrack: false },
      { family: 'ipv6', from: '2001:db8::/64', table: 7, action: 'table', priority: 80, not: false, noTrack: false },
      { family: 'ipv4', fwmark: 5, gotoTarget: 90, action: 'goto', priority: 85, not: false, noTrack: false },
    ]);
  });

  test('a rule without preference gets 16384, 16383, ... per family in file order, with a warning', () => {
    const r = check(`static_rules {
    from 10.1.0.0/24 table 1
}
${instance(`    virtual_rules {
      from 10.2.0.0/24 table 2
      from 2001:db8::/64 table 3
    }`)}`);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      't.conf:2:5: warning: rule has no preference specified - setting to 16384. This is probably not what you want.',
      't.conf:8:7: warning: rule has no preference specified - setting to 16383. This is probably not what you want.',
      't.conf:9:7: warning: rule has no preference specified - setting to 16384. This is probably not what you want.',
    ]);
    expect(r.config?.staticRules?.[0]?.priority).toBe(16384);
    expect(r.config?.vrrpInstances[0]?.virtualRules?.map((x) => x.priority)).toEqual([16383, 16384]);
  });
});

describe('use_vmac / vmac_xmit_base / use_vmac_addr / vmac_prefix', () => {
  test('name and MAC in either order; xmit_base before or after', () => {
    const a = check(instance('    vmac_xmit_base\n    use_vmac vr51 02:11:22:33:44:55'));
    expect(a.lines).toEqual([]);
    expect(a.config?.vrrpInstances[0]?.vmac).toMatchObject({
      ifname: 'vr51',
      mac: '02:11:22:33:44:55',
      xmitBase: true,
    });
    const b = check(`global_defs {\n  vmac_prefix vx\n}\n${instance('    use_vmac 2:11:22:33:44')}`);
    expect(b.lines).toEqual([]);
    expect(b.config?.globalDefs.vmacPrefix).toBe('vx');
    expect(b.config?.vrrpInstances[0]?.vmac).toEqual(expect.objectContaining({ mac: '02:11:22:33:44' }));
  });

  test('multicast or RFC 5798 MACs are refused; strict mode resets xmit_base; use_vmac_addr is accepted', () => {
    expect(check(instance('    use_vmac 01:00:5e:00:00:01')).errors).toEqual([
      "t.conf:4:14: error: use_vmac: MAC address '01:00:5e:00:00:01' is multicast",
    ]);
    expect(check(instance('    use_vmac 00:00:5e:00:01:33')).errors).toHaveLength(1);
    const s = check(
      `global_defs {\n  vrrp_strict\n}\n${instance('    use_vmac\n    vmac_xmit_base\n    use_vmac_addr')}`,
    );
    expect(s.errors).toEqual([]);
    expect(s.warnings).toEqual([
      't.conf:7:5: warning: (VI_1) vmac_xmit_base is incompatible with strict mode - resetting',
    ]);
    expect(s.config?.vrrpInstances[0]?.useVmacAddr).toBe(true);
    expect(s.config?.vrrpInstances[0]?.vmac?.xmitBase).toBe(false);
  });
});

describe("a VIP's use_vmac option (keepalived vrrp_complete_instance)", () => {
  test('ignored with a warning where the instance VMAC or use_vmac_addr already applies; kept otherwise', () => {
    const vips = '10.0.0.100/24 use_vmac\n        10.9.0.1/24 dev eth1 use_vmac';
    const both = check(instance('    use_vmac\n    use_vmac_addr', vips));
    expect(both.warnings.map((w) => w.replace(/^t\.conf:\d+:\d+: warning: /, ''))).toEqual([
      '(VI_1) use_vmac specified for VIP/eVIP 10.0.0.100 and vrrp instance; the address option is ignored',
      '(VI_1) use_vmac_addr specified and use_vmac specified for VIP/eVIP 10.9.0.1; the address option is ignored',
    ]);
    const alone = check(instance('', vips));
    expect(alone.warnings).toEqual([]);
    expect(alone.config?.vrrpInstances[0]?.virtualIpAddresses.map((v) => v.extraOptions)).toEqual([
      ['use_vmac'],
      ['use_vmac'],
    ]);
  });
});
