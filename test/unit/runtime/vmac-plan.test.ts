import { describe, expect, test } from 'vitest';
import { parseConfigText } from '../../../src/config/parse.js';
import { instanceSettings } from '../../../src/runtime/instance-config.js';
import { addressVmacPlans, applyVmacPlan, vmacAddress, vmacNames, vmacPlan } from '../../../src/runtime/vmac-plan.js';

function load(text: string) {
  const r = parseConfigText(text);
  if (!r.config) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.config;
}

const inst = (name: string, vrid: number, extra: string, vip = '10.0.0.100/24') => `vrrp_instance ${name} {
  interface eth0
  virtual_router_id ${vrid}
${extra}
  virtual_ipaddress {
    ${vip}
    ${vip.includes(':') ? '2001:db8::9/64' : '10.9.0.1/24'} dev eth1
  }
}
`;

describe('use_vmac plan', () => {
  test('RFC 5798 §7.3 MACs; a 5-octet configured MAC takes the VRID as sixth octet', () => {
    const c = load(
      inst('A', 51, '  use_vmac') +
        inst('B', 51, '  use_vmac', 'fe80::1/64') +
        inst('C', 7, '  use_vmac vx7 02:00:00:00:aa') +
        inst('D', 8, '  use_vmac 02:00:00:00:aa:bb'),
    );
    expect(c.vrrpInstances.map(vmacAddress)).toEqual([
      '00:00:5e:00:01:33',
      '00:00:5e:00:02:33',
      '02:00:00:00:aa:07',
      '02:00:00:00:aa:bb',
    ]);
  });

  test("names: vmac_prefix.VRID, keepalived's sequence when taken (IPv6 tries PREFIX6 first), configured names kept", () => {
    const c = load(
      `global_defs {\n  vmac_prefix vr\n}\n${inst('A', 51, '  use_vmac')}${inst('B', 51, '  use_vmac', 'fe80::1/64')}${inst('C', 51, '  use_vmac\n  interface eth2')}${inst('D', 52, '  use_vmac vr.51')}${inst('E', 53, '')}`,
    );
    expect(Object.fromEntries(vmacNames(c.vrrpInstances, c.globalDefs))).toEqual({
      A: 'vr1.51',
      B: 'vr6.51',
      C: 'vr2.51',
      D: 'vr.51',
    });
  });

  test('the VIPs on the instance interface move to the VMAC; the socket follows unless vmac_xmit_base', () => {
    const c = load(inst('A', 51, '  use_vmac') + inst('B', 52, '  use_vmac\n  vmac_xmit_base'));
    const iface = { ifname: 'eth0', mac: '02:00:00:00:00:01', ipv4: ['10.0.0.1'] };
    const [a, b] = c.vrrpInstances.map((i) => {
      const plan = vmacPlan(i, vmacNames(c.vrrpInstances, c.globalDefs).get(i.name));
      return applyVmacPlan(instanceSettings(i, c.globalDefs, iface), plan!);
    });
    expect(a).toMatchObject({
      ifname: 'vrrp.51',
      primaryAddress: '10.0.0.1',
      vmac: { ifname: 'vrrp.51', mac: '00:00:5e:00:01:33' },
      vips: [
        { cidr: '10.0.0.100/24', dev: 'vrrp.51' },
        { cidr: '10.9.0.1/24', dev: 'eth1' },
      ],
    });
    expect(b).toMatchObject({ ifname: 'eth0', vmac: { ifname: 'vrrp.52', mac: '00:00:5e:00:01:34' } });
    expect(vmacPlan(c.vrrpInstances[0]!, undefined)).toBeUndefined();
  });
});

describe('use_vmac_addr plan', () => {
  const iface = { ifname: 'eth0', mac: '02:00:00:00:00:01', ipv4: ['10.0.0.1'] };

  test('a VIP on another interface moves to a VMAC on that interface; the instance interface keeps its own', () => {
    const c = load(inst('A', 51, '  use_vmac_addr'));
    const a = c.vrrpInstances[0]!;
    const taken = new Set<string>(['vrrp.51']);
    const r = addressVmacPlans(a, instanceSettings(a, c.globalDefs, iface), c.globalDefs, taken);
    expect(r.plans).toEqual([{ name: 'vrrp1.51', mac: '00:00:5e:00:01:33', parent: 'eth1', family: 4 }]);
    expect(r.settings.vips.map((v) => [v.address, v.dev])).toEqual([
      ['10.0.0.100', 'eth0'],
      ['10.9.0.1', 'vrrp1.51'],
    ]);
    expect(taken.has('vrrp1.51')).toBe(true);
  });

  test('with use_vmac too, the instance family stays on the instance VMAC; nothing without the keyword', () => {
    const c = load(inst('A', 51, '  use_vmac\n  use_vmac_addr') + inst('B', 52, ''));
    const [a, b] = c.vrrpInstances;
    const plan = vmacPlan(a!, vmacNames(c.vrrpInstances, c.globalDefs).get('A'))!;
    const s = applyVmacPlan(instanceSettings(a!, c.globalDefs, iface), plan);
    const r = addressVmacPlans(a!, s, c.globalDefs, new Set(['vrrp.51']));
    expect(r.settings.vips.map((v) => v.dev)).toEqual(['vrrp.51', 'vrrp1.51']);
    expect(addressVmacPlans(b!, instanceSettings(b!, c.globalDefs, iface), c.globalDefs, new Set()).plans).toEqual([]);
  });
});
