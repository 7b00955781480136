import type { Server } from 'node:http';
import type { Counter, Gauge, Registry } from 'prom-client';
import { PlatformError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { DaemonStatus, InstanceStatus } from './status.js';

/**
 * Prometheus metrics for `vrrpd --metrics-listen ADDR:PORT`, named and labelled like the widely used
 * keepalived exporter (`keepalived_*`, labels iname/intf/vrid), so dashboards built for keepalived work
 * unchanged; what that exporter has no name for is `vrrpd_*`. Values are read from the daemon's status at
 * each scrape: the same counters `vrrpd status` prints, never a second bookkeeping.
 *
 * prom-client is imported only when the flag is given (start-up time of a daemon without metrics).
 */

/** keepalived's state numbering in keepalived_vrrp_state. */
const STATE_VALUE: Record<InstanceStatus['state'], number> = { INIT: 0, BACKUP: 1, MASTER: 2, FAULT: 3 };
const STATES = Object.keys(STATE_VALUE) as InstanceStatus['state'][];

/** Per-instance drop reasons (src/protocol/reasons.ts) that the keepalived exporter counts under its own names. */
const DROP_COUNTERS: Record<string, { name: string; help: string }> = {
  length: { name: 'keepalived_packet_length_errors_total', help: 'Packet length errors' },
  'interval-mismatch': {
    name: 'keepalived_advertisements_interval_errors_total',
    help: 'Advertisement interval errors',
  },
  ttl: { name: 'keepalived_ip_ttl_errors_total', help: 'TTL errors' },
  type: { name: 'keepalived_invalid_type_received_total', help: 'Invalid type errors' },
  'address-list': { name: 'keepalived_address_list_errors_total', help: 'Address list errors' },
  'auth-type': { name: 'keepalived_authentication_mismatch_total', help: 'Authentication mismatch' },
  'auth-fail': { name: 'keepalived_authentication_failure_total', help: 'Authentication failure' },
};

const INSTANCE = ['iname', 'intf', 'vrid'] as const;
type InstanceLabels = Record<(typeof INSTANCE)[number], string>;

type PromClient = typeof import('prom-client');

export interface VrrpMetrics {
  readonly registry: Registry;
  /** Set every metric from one status snapshot. */
  update(s: DaemonStatus): void;
}

export function createVrrpMetrics(prom: PromClient): VrrpMetrics {
  const registry = new prom.Registry();
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: readonly string[]): Gauge =>
    new prom.Gauge({ name, help, labelNames, registers });
  const counter = (name: string, help: string, labelNames: readonly string[] = INSTANCE): Counter =>
    new prom.Counter({ name, help, labelNames, registers });

  const up = gauge('keepalived_up', 'Status', []);
  const state = gauge('keepalived_vrrp_state', 'State of vrrp (0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT)', [
    ...INSTANCE,
    'ip_address',
  ]);
  const stateSet = gauge('vrrpd_vrrp_state', '1 for the state the instance is in', [...INSTANCE, 'state']);
  const priority = gauge('vrrpd_priority', 'Priority: configured (base) and effective', [...INSTANCE, 'kind']);
  const masterPriority = gauge('vrrpd_master_priority', 'Priority of the current Master as last heard', INSTANCE);
  const track = gauge('keepalived_script_status', 'Tracker status (1 up, 0 down, absent while pending)', [
    ...INSTANCE,
    'name',
    'kind',
  ]);
  const counters = {
    rcvd: counter('keepalived_advertisements_received_total', 'Advertisements received'),
    sent: counter('keepalived_advertisements_sent_total', 'Advertisements sent'),
    becomeMaster: counter('keepalived_become_master_total', 'Became master'),
    priZeroRcvd: counter('keepalived_priority_zero_received_total', 'Priority zero received'),
    priZeroSent: counter('keepalived_priority_zero_sent_total', 'Priority zero sent'),
    garps: counter('keepalived_gratuitous_arp_sent_total', 'Gratuitous ARPs / unsolicited NAs sent'),
    transitions: counter('vrrpd_transitions_total', 'State transitions'),
    drops: counter('vrrpd_dropped_adverts_total', 'Adverts dropped by the instance, by reason', [
      ...INSTANCE,
      'reason',
    ]),
    unmatched: counter('vrrpd_dropped_packets_total', 'Packets dropped before reaching an instance, by reason', [
      'reason',
    ]),
  };
  const dropCounters = Object.fromEntries(
    Object.entries(DROP_COUNTERS).map(([reason, d]) => [reason, counter(d.name, d.help)]),
  );

  return {
    registry,
    update(s) {
      // Counters are set to the daemon's totals: reset, then add the absolute value.
      registry.resetMetrics();
      up.set(1);
      for (const i of s.instances) {
        const l: InstanceLabels = { iname: i.name, intf: i.interface, vrid: String(i.vrid) };
        for (const vip of i.vips) state.set({ ...l, ip_address: vip }, STATE_VALUE[i.state]);
        for (const st of STATES) stateSet.set({ ...l, state: st }, st === i.state ? 1 : 0);
        priority.set({ ...l, kind: 'base' }, i.basePriority);
        priority.set({ ...l, kind: 'effective' }, i.effectivePriority);
        if (i.master) masterPriority.set(l, i.master.priority);
        for (const t of i.tracking) if (t.up !== null) track.set({ ...l, name: t.name, kind: t.kind }, t.up ? 1 : 0);
        const c = i.counters;
        counters.rcvd.inc(l, c.advertsReceived);
        counters.sent.inc(l, c.advertsSent);
        counters.becomeMaster.inc(l, c.becameMaster);
        counters.priZeroRcvd.inc(l, c.priorityZeroReceived);
        counters.priZeroSent.inc(l, c.priorityZeroSent);
        counters.garps.inc(l, c.garpsSent);
        counters.transitions.inc(l, c.transitions);
        for (const [reason, m] of Object.entries(dropCounters)) m.inc(l, c.drops[reason] ?? 0);
        for (const [reason, n] of Object.entries(c.drops)) counters.drops.inc({ ...l, reason }, n);
      }
      for (const [reason, n] of Object.entries(s.drops)) counters.unmatched.inc({ reason }, n);
    },
  };
}

/** "127.0.0.1:9650", "[::1]:9650", ":9650" (all addresses). */
export function parseListen(text: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535)
    throw new PlatformError(`--metrics-listen: expected ADDR:PORT or [ADDR6]:PORT, got "${text}"`);
  const host = m[1] ?? m[2];
  return { host: host === '' ? undefined : host, port };
}

export interface MetricsServer {
  readonly server: Server;
  close(): Promise<void>;
}

/** Serve GET /metrics on `listen`; resolves once listening (rejects with the reason when the bind fails). */
export async function startMetricsServer(
  listen: string,
  status: () => DaemonStatus,
  log: Logger,
): Promise<MetricsServer> {
  const { host, port } = parseListen(listen);
  const metrics = createVrrpMetrics(await import('prom-client'));
  // node:http too only with the flag: a static import would load it (and its internals) at every start.
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    metrics.update(status());
    metrics.registry
      .metrics()
      .then((body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body))
      .catch((e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${e.message}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new PlatformError(`--metrics-listen ${listen}: ${e.message}`)));
    server.listen({ port, ...(host === undefined ? {} : { host }) }, resolve);
  });
  server.unref();
  log.info('metrics listening', { event: 'metrics_listening', listen, path: '/metrics' });
  return {
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
