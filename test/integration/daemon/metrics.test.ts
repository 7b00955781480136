import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VrrpLab } from '../../../harness/api/vrrp-lab.js';

/**
 * `vrrpd --metrics-listen`: r2 runs as the lab starts it; r1 is vrrpd with metrics and JSON logs, started
 * through zx's $ in its namespace, preempts r2, and the client scrapes /metrics over the lab's switch.
 */
const VRRPD = resolve('dist/vrrpd.cjs');
const VIP = '10.99.0.254';
const isRoot = process.getuid?.() === 0;

const value = (text: string, metric: string, labels: RegExp): number | undefined => {
  const l = text.split('\n').find((x) => x.startsWith(`${metric}{`) && labels.test(x));
  return l === undefined ? undefined : Number(l.split(' ').at(-1));
};

describe.skipIf(!isRoot)('vrrpd --metrics-listen and --log-format json', () => {
  it('serves keepalived-exporter metrics over HTTP in the namespace; JSON log lines carry the pipeline fields', async () => {
    await using lab = await new VrrpLab('three-hosts.yaml')
      .withImplementation('vrrpd')
      .withOverrides({ vrrp: { version: 3, advertIntervalS: 0.2 } })
      .withDaemonsStopped()
      .start();
    await lab.host('r2').start();
    await lab.waitForHolder(VIP, 'r2', { timeoutMs: 15_000 });

    const r1 = lab.host('r1');
    const daemon = r1.$`exec node ${VRRPD} -n -f "$VRRPLAB_HOST_DIR/vrrpd.conf" --log-format json \
      -p "$VRRPLAB_HOST_DIR/m.pid" --control-socket "$VRRPLAB_HOST_DIR/m.sock" \
      --metrics-listen 10.99.0.11:9650 2>"$VRRPLAB_HOST_DIR/m.log"`.nothrow();
    await lab.waitForHolder(VIP, 'r1', { timeoutMs: 15_000 });

    const scrape = async () => (await lab.host('cl').$`curl -fsS -m 2 http://10.99.0.11:9650/metrics`).stdout;
    const text = await scrape();
    const inst = /vrid="51"/;
    expect(value(text, 'keepalived_vrrp_state', /ip_address="10\.99\.0\.254\/24"/)).toBe(2);
    expect(value(text, 'keepalived_become_master_total', inst)).toBe(1);
    expect(value(text, 'keepalived_advertisements_received_total', inst)).toBeGreaterThan(0);
    expect(value(text, 'keepalived_address_list_errors_total', inst)).toBe(0);
    expect(value(text, 'vrrpd_priority', /kind="effective"/)).toBe(150);
    const sent = value(text, 'keepalived_advertisements_sent_total', inst) ?? 0;
    expect(sent).toBeGreaterThan(0);
    // Counters move between scrapes (adverts every 0.2 s).
    await lab.waitFor(async () => value(await scrape(), 'keepalived_advertisements_sent_total', inst) ?? 0, {
      timeoutMs: 5000,
      description: 'advertisements_sent_total to grow',
      until: (n) => n > sent,
    });
    const notFound = await lab.host('cl').$`curl -s -o /dev/null -w '%{http_code}' http://10.99.0.11:9650/`;
    expect(notFound.stdout).toBe('404');

    daemon.kill('SIGTERM');
    await daemon;
    const log = (await r1.$`cat "$VRRPLAB_HOST_DIR/m.log"`).stdout;
    const lines = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const toMaster = lines.find((l) => l.event === 'state_transition' && l.to === 'MASTER');
    expect(toMaster).toMatchObject({ level: 'info', instance: expect.any(String), reason: expect.any(String) });
    expect(Date.parse(String(toMaster?.time))).not.toBeNaN();
    expect(lines.some((l) => l.event === 'metrics_listening')).toBe(true);
  });
});
