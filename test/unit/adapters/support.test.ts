import { describe, expect, it } from 'vitest';
import { frrAdapter, mapFrrState } from '../../../harness/adapters/frr.js';
import { keepalivedAdapter } from '../../../harness/adapters/keepalived.js';
import { isMultipleOf, protocolProblems } from '../../../harness/adapters/settings-checks.js';
import { mapVrrpdStatus, vrrpdAdapter } from '../../../harness/adapters/vrrpd.js';
import { packageRoot } from '../../../src/util/package-info.js';
import { fakeHost, inst } from './fixtures.js';

const v4 = ['10.0.0.254/24'];

describe('protocolProblems (every adapter)', () => {
  it('accepts the plain defaults', () => {
    expect(protocolProblems(fakeHost([inst({ vrid: 1, vips: v4 })]))).toEqual([]);
  });

  it.each([
    ['v2 IPv6', inst({ vrid: 1, vips: ['2001:db8::1/64'] }), /IPv4 only/],
    ['v2 0.1 s', inst({ vrid: 1, advertIntervalS: 0.1, vips: v4 }), /whole seconds/],
    ['v3 0.015 s', inst({ vrid: 1, version: 3, advertIntervalS: 0.015, vips: v4 }), /0.01 s steps/],
    ['v3 41 s', inst({ vrid: 1, version: 3, advertIntervalS: 41, vips: v4 }), /0.01 s steps/],
    ['v3 auth', inst({ vrid: 1, version: 3, authPass: 'x', vips: v4 }), /no authentication/],
    ['mixed families', inst({ vrid: 1, version: 3, vips: ['10.0.0.1/24', '2001:db8::1/64'] }), /mix/],
    [
      'nginx placeholder',
      inst({
        vrid: 1,
        vips: v4,
        trackScripts: [{ name: 'n', script: '{{nginxCheck}}', intervalS: 1, weight: 0, rise: 1, fall: 1 }],
      }),
      /nginx/,
    ],
  ])('%s', (_label, i, re) => {
    expect(protocolProblems(fakeHost([i])).join('\n')).toMatch(re);
  });

  it('unicast needs peers of the same family', () => {
    expect(
      protocolProblems(fakeHost([inst({ vrid: 1, unicast: true, vips: v4 })], { peers: ['2001:db8::2'] })).join(),
    ).toMatch(/without any IPv4 peer/);
  });

  it('floating point multiples', () => {
    expect(isMultipleOf(0.3, 0.01)).toBe(true);
    expect(isMultipleOf(0.07, 0.01)).toBe(true);
    expect(isMultipleOf(0.015, 0.01)).toBe(false);
  });
});

describe('FRR support', () => {
  it.each([
    ['v2 auth', inst({ vrid: 1, authPass: 'x', vips: v4 }), 'FRR implements no VRRPv2 authentication'],
    ['unicast', inst({ vrid: 1, unicast: true, vips: v4 }), 'FRR vrrpd is multicast only'],
    [
      'track script',
      inst({
        vrid: 1,
        vips: v4,
        trackScripts: [{ name: 'c', script: 'true', intervalS: 1, weight: 0, rise: 1, fall: 1 }],
      }),
      'FRR vrrpd has no tracking',
    ],
    ['track interface', inst({ vrid: 1, vips: v4, trackInterfaces: ['eth1'] }), 'FRR vrrpd has no tracking'],
    ['preempt delay', inst({ vrid: 1, preemptDelayS: 1, vips: v4 }), 'FRR vrrpd has no preempt delay'],
    ['owner', inst({ vrid: 1, priority: 255, vips: v4 }), 'FRR cannot be configured as owner'],
  ])('%s is unsupported', (_label, i, msg) => {
    expect(frrAdapter.unsupported(fakeHost([i])).join('\n')).toContain(msg);
  });

  it('tracking its own interface is not a problem', () => {
    expect(frrAdapter.unsupported(fakeHost([inst({ vrid: 1, vips: v4, trackInterfaces: ['eth0'] })]))).toEqual([]);
  });

  it('v4 and v6 routers of one VRID must agree', () => {
    const host = fakeHost([
      inst({ vrid: 1, version: 3, priority: 100, vips: v4 }),
      inst({ name: 'VI_6', vrid: 1, version: 3, priority: 200, vips: ['2001:db8::1/64'] }),
    ]);
    expect(frrAdapter.unsupported(host).join()).toMatch(/shares priority/);
  });

  it('GARP count and initial MASTER are differences, not unsupported', () => {
    const host = fakeHost([inst({ vrid: 1, initialState: 'MASTER', vips: v4 })]);
    expect(frrAdapter.unsupported(host)).toEqual([]);
    const d = frrAdapter.differences(host).join('\n');
    expect(d).toMatch(/1 GARP/);
    expect(d).toMatch(/always starts in Backup/);
    const oneGarp = fakeHost([
      inst({ vrid: 1, vips: v4, garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 0 } }),
    ]);
    expect(frrAdapter.differences(oneGarp).join()).not.toMatch(/GARP/);
  });

  it('maps show vrrp json per family', () => {
    const host = fakeHost([
      inst({ vrid: 51, version: 3, vips: v4 }),
      inst({ name: 'VI_6', vrid: 51, version: 3, vips: ['2001:db8::1/64'] }),
      inst({ name: 'VI_9', vrid: 9, version: 3, vips: ['10.0.0.9/24'] }),
    ]);
    const json = JSON.stringify([
      {
        vrid: 51,
        v4: { status: 'Master', effectivePriority: 100 },
        v6: { status: 'Initialize', effectivePriority: 100 },
      },
    ]);
    expect(mapFrrState(host, json)).toEqual([
      { instance: 'VI_1', vrid: 51, state: 'MASTER', effectivePriority: 100 },
      { instance: 'VI_6', vrid: 51, state: 'INIT', effectivePriority: 100 },
      { instance: 'VI_9', vrid: 9, state: 'UNKNOWN' },
    ]);
  });

  it('holder interface is the macvlan of the VIP', () => {
    const host = fakeHost([
      inst({ vrid: 51, vips: v4 }),
      inst({ name: 'VI_6', vrid: 51, version: 3, vips: ['2001:db8::1/64'] }),
    ]);
    expect(frrAdapter.holderInterface?.(host, '10.0.0.254')).toBe('vl4-51');
    expect(frrAdapter.holderInterface?.(host, '2001:db8::1/64')).toBe('vl6-51');
    expect(frrAdapter.holderInterface?.(host, '10.9.9.9')).toBeUndefined();
  });
});

describe('keepalived and vrrpd support', () => {
  it('keepalived and vrrpd support v2/v3, IPv4/IPv6, unicast, tracking', () => {
    const host = fakeHost(
      [
        inst({ vrid: 1, authPass: 'pw', unicast: true, trackInterfaces: ['eth1'], vips: v4 }),
        inst({ name: 'VI_6', vrid: 2, version: 3, advertIntervalS: 0.05, vips: ['2001:db8::1/64'] }),
        inst({ name: 'VI_O', vrid: 3, priority: 255, initialState: 'MASTER', vips: ['10.0.0.3/24'] }),
      ],
      { nginxCheck: 'true' },
    );
    expect(keepalivedAdapter.unsupported(host)).toEqual([]);
    expect(vrrpdAdapter.unsupported(host)).toEqual([]);
    expect(keepalivedAdapter.holderInterface).toBeUndefined();
  });

  it('keepalived-specific conflicts', () => {
    const host = fakeHost([inst({ vrid: 1, preempt: false, initialState: 'MASTER', vips: v4 })]);
    expect(keepalivedAdapter.unsupported(host).join()).toMatch(/clears nopreempt with state MASTER/);
  });

  it('maps vrrpd status --json', () => {
    const json = JSON.stringify({
      instances: [
        { name: 'VI_1', vrid: 51, family: 'ipv4', state: 'MASTER', effectivePriority: 150, extra: 1 },
        { name: 'VI_2', vrid: 52, family: 'ipv4', state: 'WEIRD' },
      ],
    });
    expect(mapVrrpdStatus(json)).toEqual([
      { instance: 'VI_1', vrid: 51, state: 'MASTER', effectivePriority: 150 },
      { instance: 'VI_2', vrid: 52, state: 'UNKNOWN' },
    ]);
  });

  it('finds the repository root from this file', () => {
    expect(packageRoot(new URL(import.meta.url).pathname)).toBe(process.cwd());
  });
});
