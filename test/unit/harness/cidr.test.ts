import { expect, test } from 'vitest';
import { addressKey, parseCidr, subnetContains } from '../../../harness/topology/cidr.js';

test('parseCidr accepts IPv4/IPv6 with a prefix and rejects the rest', () => {
  expect(parseCidr('10.99.0.11/24')).toMatchObject({ family: 4, prefix: 24 });
  expect(parseCidr('fd00:99::11/64')).toMatchObject({ family: 6, prefix: 64 });
  for (const bad of ['10.99.0.300/24', '10.99.0.1', '10.99.0.1/33', 'fd00::1/129', 'x/24', '']) {
    expect(parseCidr(bad)).toBeUndefined();
  }
});

test('subnet containment', () => {
  const net4 = parseCidr('10.99.0.11/24');
  const net6 = parseCidr('fd00:99::11/64');
  if (!net4 || !net6) throw new Error('parse');
  expect(subnetContains(net4, '10.99.0.254')).toBe(true);
  expect(subnetContains(net4, '10.99.1.1')).toBe(false);
  expect(subnetContains(net6, 'fd00:99::ffff')).toBe(true);
  expect(subnetContains(net6, 'fd00:98::1')).toBe(false);
  expect(subnetContains(net4, 'fd00:99::1')).toBe(false);
});

test('addressKey is canonical', () => {
  expect(addressKey('fd00:0:0::1')).toBe(addressKey('fd00::1'));
  expect(addressKey('::ffff:10.0.0.1')).toBe(addressKey('::ffff:a00:1'));
  expect(addressKey('10.0.0.1')).not.toBe(addressKey('10.0.0.2'));
});
