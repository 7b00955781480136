// An nginx outage drill: the seed pair with its cure applied (unicast peers), nginx tracked by a check
// script. The operator kills nginx on the Master; the check fails, the VIP moves to the other node, and
// the client's requests to the VIP are answered there.
//
//   vrrp-lab drill --impl keepalived ./nginx-outage.mjs
import { check, checkSingleHolder, generousMs, ms, nth, observe, startAndConverge } from 'vrrp-lab';

// Check every second, two failures to fall: the drill takes seconds, not the seed's 10 s interval.
const CHECK = { name: 'check_nginx', script: '{{nginxCheck}}', intervalS: 1, fall: 2, rise: 2 };

export default {
  name: 'nginx-outage',
  description: 'nginx killed on the Master: the check moves the VIP; the client is served by the other node.',
  topology: { file: 'seed-pair.yaml', overrides: { vrrp: { unicast: true, trackScripts: [CHECK] } } },
  steps: [
    startAndConverge(),
    observe(1000, 'steady'),
    {
      name: 'kill nginx',
      run: async (lab) => {
        const [top, other] = [nth(lab, 0), nth(lab, 1)];
        lab.mark('outage');
        await lab.host(top).$`kill $(cat "$VRRPLAB_HOST_DIR/nginx/nginx.pid")`;
        await lab.waitForHolder(lab.vips[0], other, { timeoutMs: 10_000 + generousMs(lab, other) });
        lab.mark('moved');
      },
    },
    {
      name: 'client request',
      run: async (lab) => {
        const client = Object.values(lab.topology.hosts).find((h) => h.role === 'client');
        const r = await lab.host(client.name).$`curl -fsS -m 2 http://${lab.vips[0]}/`;
        lab.mark(`served by ${r.stdout.trim()}`);
      },
    },
    observe(2000, 'after'),
  ],
  keyMeasurement: 'outageToTakeoverMs',
  assertions: (lab) => {
    const other = nth(lab, 1);
    const served = Object.keys(lab.marks).find((m) => m.startsWith('served by '));
    const failures = served === `served by ${other}` ? [] : [`client was ${served ?? 'not served'}, expected ${other}`];
    return [
      check(failures, { outageToTakeoverMs: ms(lab.mark('moved') - lab.mark('outage')) }),
      checkSingleHolder(lab.timeline, lab.vips[0], { fromMs: lab.mark('moved'), toMs: lab.timeline.endMs }),
    ];
  },
};
