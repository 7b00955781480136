import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/parse.js';
import { instanceSettings } from '../../../src/runtime/instance-config.js';

/**
 * From keepalived.conf text to what the runtime acts on (the wire/kernel effects themselves are checked on
 * namespaces in test/integration/wire/): multicast groups, unicast TTLs and checks, excluded VIPs.
 */

const IFACE = { ifname: 'eth0', mac: '02:00:00:00:00:01', ipv4: ['10.0.0.11'], ipv6LinkLocal: 'fe80::11' };

function settingsOf(text: string) {
  const r = parseConfigText(text, 't.conf');
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.config || errors.length > 0) throw new Error(errors.map((d) => d.message).join('; '));
  return r.config.vrrpInstances.map((i) => instanceSettings(i, r.config!.globalDefs, IFACE));
}

const instance = (name: string, vrid: number, body: string) => `vrrp_instance ${name} {
  interface eth0
  virtual_router_id ${vrid}
${body}
  virtual_ipaddress {
    10.0.0.254/24
  }
}
`;

describe('instanceSettings: keepalived.conf keywords the runtime acts on', () => {
  it('vrrp_mcast_group4 is every multicast instance group; mcast_dst_ip overrides it per instance', () => {
    const [a, b] = settingsOf(
      `global_defs {\n  vrrp_mcast_group4 224.0.0.50\n}\n${instance('A', 1, '')}${instance('B', 2, '  mcast_dst_ip 224.0.0.51')}`,
    );
    expect([a?.multicastGroup, b?.multicastGroup]).toEqual(['224.0.0.50', '224.0.0.51']);
  });

  it('unicast_ttl, peer min_ttl/max_ttl (which turn check_unicast_src on), unicast_fault_no_peer', () => {
    const [a, b, c] = settingsOf(
      instance('A', 1, '  unicast_ttl 10\n  unicast_peer {\n    10.0.0.12 min_ttl 250\n    10.0.0.13\n  }') +
        instance('B', 2, '  unicast_peer {\n    10.0.0.12\n  }') +
        instance('C', 3, '  unicast_src_ip 10.0.0.11\n  unicast_fault_no_peer'),
    );
    expect(a).toMatchObject({
      unicastTtl: 10,
      checkUnicastSrc: true,
      peerTtl: { '10.0.0.12': { min: 250, max: 255 }, '10.0.0.13': { min: 0, max: 255 } },
      faultNoPeer: false,
    });
    expect(b).toMatchObject({ unicastTtl: 255, checkUnicastSrc: false });
    expect(c).toMatchObject({ unicastPeers: [], faultNoPeer: true });
  });

  it('virtual_ipaddress_excluded: installed with its options, any family, not in the advertised list', () => {
    const [s] = settingsOf(
      instance(
        'A',
        1,
        '  virtual_ipaddress_excluded {\n    2001:db8::5/64\n    10.9.0.1/24 dev eth1 label eth1:x\n  }',
      ),
    );
    expect(s?.vips.map((v) => v.address)).toEqual(['10.0.0.254']);
    expect(s?.excludedVips).toEqual([
      expect.objectContaining({
        cidr: '2001:db8::5/64',
        family: 6,
        dev: 'eth0',
        options: { noDad: true, preferredLft: 0xffffffff },
      }),
      expect.objectContaining({ cidr: '10.9.0.1/24', family: 4, dev: 'eth1', options: { label: 'eth1:x' } }),
    ]);
  });
});
