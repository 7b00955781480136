import { describe, expect, it } from 'vitest';
import { decodeCommand } from '../../../src/cli/decode-command.js';
import { encodeIpv4Packet, encodeIpv6Packet } from '../../../src/protocol/index.js';

const KEEPALIVED = '45c0002802720000ff70cdb30a63000be0000012213396010101324f0a6300fe7333637233740000';

function run(hex: string) {
  const out = decodeCommand(hex);
  return { ...out, json: JSON.parse(out.stdout) as Record<string, unknown> };
}

describe('vrrpd decode HEX', () => {
  it('prints the keepalived capture as one JSON object and exits 0', () => {
    const { exitCode, json } = run(KEEPALIVED);
    expect(exitCode).toBe(0);
    expect(json).toMatchObject({
      ipVersion: 4,
      src: '10.99.0.11',
      dst: '224.0.0.18',
      ttl: 255,
      version: 2,
      type: 1,
      vrid: 51,
      priority: 150,
      count: 1,
      advertIntervalCs: 100,
      authType: 1,
      authPass: 's3cr3t',
      addresses: ['10.99.0.254'],
      checksum: '0x324f',
      checksumValid: true,
      valid: true,
      errors: [],
    });
  });

  it('accepts spaces, colons, dashes and 0x prefixes', () => {
    const spaced = `0x${KEEPALIVED.match(/../g)!.join(' ')}`;
    const colons = KEEPALIVED.match(/../g)!.join(':');
    const prefixed = KEEPALIVED.match(/..../g)!
      .map((g) => `0x${g}`)
      .join('-');
    for (const hex of [spaced, colons, prefixed, KEEPALIVED.toUpperCase()]) expect(run(hex).exitCode).toBe(0);
  });

  it('prints v3 IPv4 vector 3 with its checksum form and rsvd', () => {
    const packet = encodeIpv4Packet(
      { src: '192.168.200.1', dst: '224.0.0.18', ttl: 255 },
      Buffer.from('3133640100647874c0a8c810', 'hex'),
    );
    const { exitCode, json } = run(packet.toString('hex'));
    expect(exitCode).toBe(0);
    expect(json).toMatchObject({
      version: 3,
      advertIntervalCs: 100,
      checksum: '0x7874',
      checksumForm: 'rfc5798',
      reserved: 0,
    });
    expect(json).not.toHaveProperty('authType');
  });

  it('exits 1 with the JSON and the reasons for a decodable but invalid advert', () => {
    const ttl254 = Buffer.from(KEEPALIVED, 'hex');
    ttl254[8] = 254;
    const { exitCode, json } = run(ttl254.toString('hex'));
    expect(exitCode).toBe(1);
    expect(json).toMatchObject({ valid: false, errors: ['ttl'], vrid: 51 });
  });

  it('reports the Count field as received, not the number of addresses that fit', () => {
    const packet = encodeIpv6Packet(
      { src: 'fe80::1', dst: 'ff02::12', hopLimit: 255 },
      Buffer.concat([Buffer.from('3133640300640000', 'hex'), Buffer.alloc(20)]),
    );
    const { exitCode, json } = run(packet.toString('hex'));
    expect(exitCode).toBe(1);
    expect(json).toMatchObject({ ipVersion: 6, count: 3, addresses: ['::'] });
    expect(json.errors).toContain('length');
  });

  it.each([
    ['not hex', 'zz12', 'not-hex'],
    ['odd digit count', '45c', 'not-hex'],
    ['not IP', '1234567890', 'not-ip'],
    ['empty', '', 'truncated'],
    ['UDP, not VRRP', KEEPALIVED.slice(0, 18) + '11' + KEEPALIVED.slice(20), 'not-vrrp'],
    ['cut short', KEEPALIVED.slice(0, 60), 'truncated'],
  ])('exits 2 for %s, with {error, detail} JSON', (_name, hex, error) => {
    const { exitCode, json } = run(hex);
    expect(exitCode).toBe(2);
    expect(json.error).toBe(error);
    expect(typeof json.detail).toBe('string');
  });
});
