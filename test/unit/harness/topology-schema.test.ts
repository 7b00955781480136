import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import {
  defineTopology,
  generateStarTopology,
  loadTopologyFile,
  parseTopologyYaml,
  TopologyError,
} from '../../../harness/topology/index.js';

const errorsOf = (yaml: string, file = 't.yaml'): string[] => {
  try {
    parseTopologyYaml(yaml, file);
  } catch (err) {
    if (err instanceof TopologyError) return err.message.split('\n');
    throw err;
  }
  return [];
};

const router = (addr: string, extra = '') => `
    role: router
    links:
      - switch: sw
        address: ${addr}
    vrrp:
      - vrid: 51
        vips: [10.99.0.254/24]${extra}`;

describe('shipped topologies', () => {
  test('three-hosts.yaml', async () => {
    const t = await loadTopologyFile('scenarios/topologies/three-hosts.yaml');
    expect(Object.keys(t.hosts)).toEqual(['r1', 'r2', 'r3', 'cl']);
    expect(Object.values(t.hosts).map((h) => h.vrrp[0]?.priority)).toEqual([150, 100, 50, undefined]);
    expect(t.hosts.r1?.vrrp[0]).toMatchObject({ vrid: 51, vips: ['10.99.0.254/24'] });
    expect(t.hosts.r1?.links[0]).toEqual({
      switch: 'sw',
      ifname: 'eth0',
      addresses: ['10.99.0.11/24', 'fd00:99::11/64'],
    });
    expect(t.switches.sw).toEqual({ name: 'sw', dropMulticast: false, mcastSnooping: false });
  });

  test('seed-pair.yaml has the article settings', async () => {
    const t = await loadTopologyFile('scenarios/topologies/seed-pair.yaml');
    const [a, b] = [t.hosts.n14?.vrrp[0], t.hosts.n15?.vrrp[0]];
    expect(a).toMatchObject({ vrid: 101, priority: 100, preempt: false, initialState: 'BACKUP', advertIntervalS: 1 });
    expect(b).toMatchObject({ vrid: 101, priority: 50, authPass: 'test123', unicast: false });
    expect(a?.trackScripts[0]?.script).toBe('{{nginxCheck}}');
    expect(t.hosts.n14?.nginx && t.hosts.n15?.nginx).toBe(true);
    expect(t.switches.sw?.dropMulticast).toBe(true);
  });

  test('the YAML file and the TypeScript API give the same topology', async () => {
    const { parse } = await import('yaml');
    const raw = parse(await readFile('scenarios/topologies/three-hosts.yaml', 'utf8'));
    expect(defineTopology(raw)).toEqual(await loadTopologyFile('scenarios/topologies/three-hosts.yaml'));
  });

  test('generated star topology validates', () => {
    const t = generateStarTopology({ routers: 3, clients: 47 });
    expect(Object.keys(t.hosts).length).toBe(50);
  });
});

describe('schema errors name the file, line and path', () => {
  test('invalid CIDR', () => {
    const errs = errorsOf(`switches: {sw: {}}\nhosts:\n  r1:${router('10.99.0.300/24')}\n`, 'bad.yaml');
    expect(errs).toEqual(['bad.yaml:7:18: hosts.r1.links[0].address: invalid CIDR']);
  });

  test('unknown keys, bad role, bad host name, missing field', () => {
    const errs = errorsOf(`switches: {sw: {}}
hosts:
  Bad:
    role: client
    links: [{switch: sw, address: 10.99.0.1/24}]
  r2:
    role: banana
    links: []
  r3:
    role: client
    links: [{switch: sw, address: 10.99.0.3/24, colour: red}]
  r4:
    role: router
    links: [{switch: sw, address: 10.99.0.4/24}]
`);
    expect(errs.join('\n')).toMatch(/hosts\.Bad: must be 1-12 characters/);
    expect(errs.join('\n')).toMatch(/hosts\.r2\.role: Invalid discriminator/);
    expect(errs.join('\n')).toMatch(/hosts\.r3\.links\[0\]: unknown key "colour"/);
    expect(errs.join('\n')).toMatch(/hosts\.r4\.vrrp: required/);
  });

  test('interface name longer than 15 characters', () => {
    const errs = errorsOf(`switches: {sw: {}}
hosts:
  c1:
    role: client
    links: [{switch: sw, ifname: averyveryverylongname, address: 10.99.0.1/24}]
`);
    expect(errs).toEqual([expect.stringMatching(/hosts\.c1\.links\[0\]\.ifname: interface name longer than 15/)]);
  });

  test('YAML syntax errors carry a position', () => {
    expect(errorsOf('hosts: [', 'x.yaml')[0]).toMatch(/^x\.yaml:\d+:\d+: \(yaml\)/);
  });
});

describe('cross-checks', () => {
  test('link to an unknown switch', () => {
    const errs = errorsOf(`switches: {sw: {}}
hosts:
  c1:
    role: client
    links: [{switch: sw9, address: 10.99.0.1/24}]
`);
    expect(errs).toEqual([expect.stringMatching(/hosts\.c1\.links\[0\]\.switch: unknown switch "sw9" \(known: sw\)/)]);
  });

  test('duplicate addresses (IPv6 compared canonically)', () => {
    const errs = errorsOf(`switches: {sw: {}}
hosts:
  c1:
    role: client
    links: [{switch: sw, addresses: [10.99.0.1/24, 'fd00:99::1/64']}]
  c2:
    role: client
    links: [{switch: sw, addresses: [10.99.0.1/24, 'fd00:99:0::1/64']}]
`);
    expect(errs.join('\n')).toContain(
      'hosts.c2.links[0].addresses[0]: duplicate address 10.99.0.1 (also hosts.c1.links[0].addresses[0])',
    );
    expect(errs.join('\n')).toContain('hosts.c2.links[0].addresses[1]: duplicate address fd00:99:0::1');
  });

  test('VIP outside every link subnet of the host', () => {
    const errs = errorsOf(`switches: {sw: {}}\nhosts:\n  r1:${router('10.98.0.1/24')}\n`);
    expect(errs).toEqual([
      expect.stringMatching(
        /hosts\.r1\.vrrp\[0\]\.vips\[0\]: VIP 10\.99\.0\.254\/24 is not inside any link subnet of r1/,
      ),
    ]);
  });

  test('unicast with fewer than 2 routers', () => {
    const one = errorsOf(`switches: {sw: {}}\nhosts:\n  r1:${router('10.99.0.1/24', '\n        unicast: true')}\n`);
    expect(one).toEqual([
      expect.stringMatching(
        /hosts\.r1\.vrrp\[0\]\.unicast: unicast needs at least 2 routers with VRID 51 on switch sw \(found 1\)/,
      ),
    ]);
    const two = errorsOf(
      `switches: {sw: {}}\nhosts:\n  r1:${router('10.99.0.1/24', '\n        unicast: true')}\n  r2:${router('10.99.0.2/24', '\n        unicast: true')}\n`,
    );
    expect(two).toEqual([]);
  });

  test('reserved host name and unknown tracked interface', () => {
    const errs = errorsOf(`switches: {sw: {}}
hosts:
  sw:
    role: client
    links: [{switch: sw, address: 10.99.0.9/24}]
  r1:${router('10.99.0.1/24', '\n        trackInterfaces: [eth7]')}
`);
    expect(errs.join('\n')).toContain('hosts.sw: host name "sw" is reserved');
    expect(errs.join('\n')).toContain('hosts.r1.vrrp[0].trackInterfaces[0]: unknown interface "eth7"');
  });

  test('the TypeScript API reports the same paths', () => {
    expect(() =>
      defineTopology({
        switches: { sw: {} },
        hosts: { c1: { role: 'client', links: [{ switch: 'sw', address: 'nope' }] } },
      }),
    ).toThrow('<typescript>: hosts.c1.links[0].address: invalid CIDR');
  });
});
