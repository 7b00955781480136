// The seed incident as an operator's drill: two keepalived-style nodes on a switch that drops VRRP
// multicast both become Master and both hold the VIP (split brain). The operator's cure is the one from
// the incident: add unicast_src_ip / unicast_peer to each node's configuration and restart it, one node
// at a time. Afterwards exactly one node holds the VIP.
//
//   vrrp-lab drill --impl keepalived ./seed-incident.mjs
//
// The file needs nothing installed next to it: `vrrp-lab drill` resolves the import below to itself.
import { check, checkSingleHolder, firstMultiHolder, generousMs, ms, nth, observe, startAll } from 'vrrp-lab';

/** The rendered configuration the implementation runs with, inside the host's directory. */
const confFile = (lab) => (lab.impl === 'vrrpd' ? 'vrrpd.conf' : 'keepalived.conf');
const ipOf = (lab, host) => lab.topology.hosts[host].links[0].addresses[0].split('/')[0];

export default {
  name: 'seed-incident',
  description: 'Multicast dropped by the switch: split brain; the operator adds unicast peers: one holder.',
  topology: { file: 'seed-pair.yaml' },
  timeoutMs: 120_000,
  steps: [
    {
      name: 'start all',
      run: async (lab) => {
        await startAll(lab);
        await lab.waitForHolders(lab.vips[0], 2, { timeoutMs: generousMs(lab, nth(lab, 1)) });
      },
    },
    observe(2000, 'split brain'),
    {
      name: 'unicast cure',
      run: async (lab) => {
        lab.mark('cure');
        for (const me of lab.routers) {
          const peers = lab.routers.filter((h) => h !== me).map((h) => ipOf(lab, h));
          const block = [`unicast_src_ip ${ipOf(lab, me)}`, 'unicast_peer {', ...peers, '}'];
          const node = lab.host(me);
          await node.stop();
          // What the operator types: write the block, insert it after virtual_router_id, restart.
          await node.$`printf '%s\n' ${block} > "$VRRPLAB_HOST_DIR/unicast.inc"`;
          await node.$`sed -i "/virtual_router_id/r $VRRPLAB_HOST_DIR/unicast.inc" "$VRRPLAB_HOST_DIR/${confFile(lab)}"`;
          await node.start();
        }
        const vip = lab.vips[0];
        await lab.waitFor(() => lab.holders(vip), {
          timeoutMs: generousMs(lab, nth(lab, 1)),
          description: `exactly one holder of ${vip} after the cure`,
          until: (hs) => hs.length === 1,
        });
        lab.mark('cured');
      },
    },
    observe(5000, 'stable 5 s'),
  ],
  keyMeasurement: 'splitBrainAfterMs',
  assertions: (lab) => {
    const vip = lab.vips[0];
    const start = lab.mark('start');
    const split = firstMultiHolder(lab.timeline, vip, start);
    if (!split || split.startMs > lab.mark('cure'))
      return [check([`split brain not seen before the cure: never ≥2 holders of ${vip}`])];
    return [
      check([], { splitBrainAfterMs: ms(split.startMs - start), splitBrainHolders: split.holders.join(', ') }),
      checkSingleHolder(lab.timeline, vip, { fromMs: lab.mark('cured'), toMs: lab.timeline.endMs }),
    ];
  },
};
