import * as prom from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createVrrpMetrics, parseListen } from '../../../src/runtime/metrics.js';
import type { DaemonStatus, InstanceStatus } from '../../../src/runtime/status.js';
import { createLogger } from '../../../src/util/logger.js';

function instance(o: Partial<InstanceStatus> = {}): InstanceStatus {
  return {
    name: 'VI_1',
    interface: 'eth0',
    family: 4,
    vrid: 51,
    version: 3,
    state: 'MASTER',
    basePriority: 150,
    effectivePriority: 90,
    advertIntervalCs: 100,
    masterAdverIntervalCs: 100,
    master: { address: '10.0.0.1', priority: 90 },
    vips: ['10.0.0.254/24'],
    vipsInstalled: true,
    preempt: true,
    timers: { masterDownInMs: null, adverInMs: 50 },
    tracking: [
      { name: 'chk_nginx', kind: 'script', weight: -60, up: false },
      { name: 'eth1', kind: 'interface', weight: 0, up: null },
    ],
    counters: {
      advertsSent: 12,
      advertsReceived: 3,
      transitions: 2,
      becameMaster: 1,
      priorityZeroSent: 0,
      priorityZeroReceived: 1,
      garpsSent: 5,
      dropped: 13,
      drops: { 'address-list': 2, 'auth-fail': 4, 'vrid-mismatch': 7 },
    },
    lastTransition: null,
    ...o,
  };
}

function status(instances: InstanceStatus[], drops: Record<string, number> = {}): DaemonStatus {
  return {
    pid: 1,
    version: '0',
    configFile: 'x',
    routerId: 'r1',
    startedMonoMs: 0,
    uptimeMs: 1,
    instances,
    drops,
    dropped: 0,
  };
}

const line = (text: string, prefix: string) => text.split('\n').find((l) => l.startsWith(prefix));

describe('metrics in the keepalived exporter vocabulary', () => {
  it('state, priorities, adverts, drops by reason, transitions, GARPs, trackers from one status', async () => {
    const m = createVrrpMetrics(prom);
    m.update(status([instance()], { 'not-vrrp': 9 }));
    const t = await m.registry.metrics();
    const l = 'iname="VI_1",intf="eth0",vrid="51"';
    expect(line(t, 'keepalived_up ')).toBe('keepalived_up 1');
    expect(line(t, `keepalived_vrrp_state{${l},ip_address="10.0.0.254/24"}`)).toMatch(/ 2$/);
    expect(line(t, `keepalived_advertisements_sent_total{${l}}`)).toMatch(/ 12$/);
    expect(line(t, `keepalived_advertisements_received_total{${l}}`)).toMatch(/ 3$/);
    expect(line(t, `keepalived_address_list_errors_total{${l}}`)).toMatch(/ 2$/);
    expect(line(t, `keepalived_authentication_failure_total{${l}}`)).toMatch(/ 4$/);
    expect(line(t, `keepalived_ip_ttl_errors_total{${l}}`)).toMatch(/ 0$/);
    expect(line(t, `keepalived_become_master_total{${l}}`)).toMatch(/ 1$/);
    expect(line(t, `keepalived_priority_zero_received_total{${l}}`)).toMatch(/ 1$/);
    expect(line(t, `keepalived_gratuitous_arp_sent_total{${l}}`)).toMatch(/ 5$/);
    expect(line(t, `vrrpd_transitions_total{${l}}`)).toMatch(/ 2$/);
    expect(line(t, `vrrpd_dropped_adverts_total{${l},reason="vrid-mismatch"}`)).toMatch(/ 7$/);
    expect(line(t, 'vrrpd_dropped_packets_total{reason="not-vrrp"}')).toMatch(/ 9$/);
    expect(line(t, `vrrpd_priority{${l},kind="base"}`)).toMatch(/ 150$/);
    expect(line(t, `vrrpd_priority{${l},kind="effective"}`)).toMatch(/ 90$/);
    expect(line(t, `vrrpd_vrrp_state{${l},state="MASTER"}`)).toMatch(/ 1$/);
    expect(line(t, `vrrpd_vrrp_state{${l},state="BACKUP"}`)).toMatch(/ 0$/);
    expect(line(t, `keepalived_script_status{${l},name="chk_nginx",kind="script"}`)).toMatch(/ 0$/);
    expect(t).not.toContain('name="eth1"'); // pending: no value yet
    expect(t).toContain('# TYPE keepalived_advertisements_sent_total counter');
    expect(t).toContain('# TYPE keepalived_vrrp_state gauge');
  });

  it('reports the daemon totals at each scrape, not their sum', async () => {
    const m = createVrrpMetrics(prom);
    m.update(status([instance()]));
    m.update(status([instance({ state: 'BACKUP', counters: { ...instance().counters, advertsSent: 20 } })]));
    const t = await m.registry.metrics();
    expect(line(t, 'keepalived_advertisements_sent_total{')).toMatch(/ 20$/);
    expect(line(t, 'keepalived_vrrp_state{')).toMatch(/ 1$/);
  });

  it('parses ADDR:PORT', () => {
    expect(parseListen('127.0.0.1:9650')).toEqual({ host: '127.0.0.1', port: 9650 });
    expect(parseListen('[fd00::1]:9650')).toEqual({ host: 'fd00::1', port: 9650 });
    expect(parseListen(':9650')).toEqual({ host: undefined, port: 9650 });
    for (const bad of ['9650', 'host:0', 'a:b', 'fd00::1:9650'])
      expect(() => parseListen(bad)).toThrow(/--metrics-listen/);
  });
});

describe('--log-format json', () => {
  it('lines carry time, level, event, instance and reason', () => {
    const lines: string[] = [];
    const log = createLogger({ format: 'json', sink: { write: (l) => lines.push(l) } });
    log.info('state transition', { instance: 'VI_1', from: 'BACKUP', to: 'MASTER', reason: 'master-down-timer' });
    log.info('metrics listening', { event: 'metrics_listening' });
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({
      level: 'info',
      event: 'state_transition',
      instance: 'VI_1',
      reason: 'master-down-timer',
    });
    expect(Date.parse(String(a?.time))).not.toBeNaN();
    expect(typeof a?.mono).toBe('number');
    expect(b?.event).toBe('metrics_listening');
  });
});
