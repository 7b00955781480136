import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildGratuitousArp,
  buildUnsolicitedNa,
  checksumVerifies,
  decodeEthernetFrame,
  encodeIpv4Packet,
  ipv6PseudoHeader,
  parseHex,
} from '../../../src/protocol/index.js';
import { fuzzRuns, fuzzTimeoutMs } from './fuzz-runs.js';
import { message4, message6, packet6, v3Advert, v3Advert6 } from './helpers.js';

const MAC = '9e:f8:12:34:56:78';
const VMAC = '00:00:5e:00:01:33';
const VMAC6 = '00:00:5e:00:02:33';

describe('gratuitous ARP (RFC 5798 §6.4.1, errata 7947/7949; docs/quirks.md Q5)', () => {
  it("is byte-identical to keepalived's frame", () => {
    const expected = parseHex(
      'ffffffffffff 9ef812345678 0806 0001 0800 06 04 0001 9ef812345678 0a6300fe ffffffffffff 0a6300fe',
    );
    expect(buildGratuitousArp({ srcMac: MAC, vip: '10.99.0.254' }).toString('hex')).toBe(expected?.toString('hex'));
  });

  it('decodes back to op 1, SHA = sender MAC, SPA = TPA = VIP, THA broadcast', () => {
    const frame = buildGratuitousArp({ srcMac: MAC, senderMac: VMAC, vip: '10.99.0.254' });
    expect(decodeEthernetFrame(frame)).toEqual({
      kind: 'arp',
      srcMac: MAC,
      dstMac: 'ff:ff:ff:ff:ff:ff',
      op: 1,
      sha: VMAC,
      spa: '10.99.0.254',
      tha: 'ff:ff:ff:ff:ff:ff',
      tpa: '10.99.0.254',
      gratuitous: true,
    });
  });

  it('an ordinary ARP request (SPA ≠ TPA) is not gratuitous, also behind an 802.1Q tag', () => {
    const frame = buildGratuitousArp({ srcMac: MAC, vip: '10.99.0.254' });
    frame.set([10, 99, 0, 1], 38); // TPA
    const tagged = Buffer.concat([frame.subarray(0, 12), Buffer.from('81000064', 'hex'), frame.subarray(12)]);
    expect(decodeEthernetFrame(tagged)).toMatchObject({ kind: 'arp', tpa: '10.99.0.1', gratuitous: false });
  });
});

describe('unsolicited neighbor advertisement (RFC 5798 §6.4.1, RFC 4861 §4.4)', () => {
  const frame = buildUnsolicitedNa({
    srcMac: VMAC6,
    srcIp: 'fe80::5e:ff:fe00:233',
    vip: '2001:db8::254',
    router: true,
  });

  it('has the RFC layout byte for byte', () => {
    expect(frame.length).toBe(86);
    expect(frame.subarray(0, 14).toString('hex')).toBe('333300000001' + '00005e000233' + '86dd');
    const ip = frame.subarray(14);
    expect(ip[0]! >> 4).toBe(6);
    expect(ip.readUInt16BE(4)).toBe(32); // payload length
    expect(ip[6]).toBe(58); // ICMPv6
    expect(ip[7]).toBe(255); // hop limit
    expect(ip.subarray(24, 40).toString('hex')).toBe('ff020000000000000000000000000001');
    const icmp = ip.subarray(40);
    expect(icmp[0]).toBe(136);
    expect(icmp[1]).toBe(0);
    expect(icmp.subarray(4, 8).toString('hex')).toBe('a0000000'); // R=1 S=0 O=1
    expect(icmp.subarray(8, 24).toString('hex')).toBe('20010db8000000000000000000000254');
    expect(icmp.subarray(24).toString('hex')).toBe('0201' + '00005e000233'); // TLLA option
    expect(checksumVerifies(ipv6PseudoHeader('fe80::5e:ff:fe00:233', 'ff02::1', 32, 58), icmp)).toBe(true);
  });

  it('decodes back to the same fields', () => {
    expect(decodeEthernetFrame(frame)).toEqual({
      kind: 'na',
      srcMac: VMAC6,
      dstMac: '33:33:00:00:00:01',
      src: 'fe80::5e:ff:fe00:233',
      dst: 'ff02::1',
      hopLimit: 255,
      target: '2001:db8::254',
      tlla: VMAC6,
      router: true,
      solicited: false,
      override: true,
      checksumValid: true,
    });
  });

  it('router: false clears only the R flag', () => {
    const host = buildUnsolicitedNa({ srcMac: VMAC6, srcIp: 'fe80::1', vip: '2001:db8::254', router: false });
    expect(decodeEthernetFrame(host)).toMatchObject({ kind: 'na', router: false, solicited: false, override: true });
  });

  it('a corrupted NA still decodes, with checksumValid false', () => {
    const bad = Buffer.from(frame);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    expect(decodeEthernetFrame(bad)).toMatchObject({ kind: 'na', checksumValid: false, tlla: '00:00:5e:00:02:32' });
  });

  it('refuses a source address that is not link-local', () => {
    expect(() =>
      buildUnsolicitedNa({ srcMac: VMAC6, srcIp: '2001:db8::1', vip: '2001:db8::254', router: true }),
    ).toThrow();
  });
});

describe('decodeEthernetFrame', () => {
  const eth = (etherType: string, body: Uint8Array, src = VMAC) =>
    Buffer.concat([parseHex(`01005e000012 ${src} ${etherType}`)!, body]);

  it('classifies a VRRP advert over IPv4, ignoring Ethernet padding', () => {
    const ip = encodeIpv4Packet({ src: '10.99.0.11', dst: '224.0.0.18', ttl: 255 }, message4(v3Advert()));
    const frame = Buffer.concat([eth('0800', ip), Buffer.alloc(60 - 14 - ip.length)]);
    const ev = decodeEthernetFrame(frame);
    expect(ev).toMatchObject({ kind: 'vrrp', srcMac: VMAC, dstMac: '01:00:5e:00:00:12' });
    expect(ev.kind === 'vrrp' && ev.decoded?.advert.vrid).toBe(51);
    expect(ev.kind === 'vrrp' && ev.decoded?.errors).toEqual([]);
  });

  it('classifies a VRRP advert over IPv6 behind QinQ + 802.1Q tags', () => {
    const frame = eth('88a8 0064 8100 00c8 86dd', packet6(message6(v3Advert6())), VMAC6);
    const ev = decodeEthernetFrame(frame);
    expect(ev.kind === 'vrrp' && ev.decoded?.ip.family).toBe(6);
  });

  it('a cut VRRP packet is still a vrrp event, with decoded null and the reason', () => {
    const ip = encodeIpv4Packet({ src: '10.99.0.11', dst: '224.0.0.18', ttl: 255 }, message4(v3Advert()));
    const ev = decodeEthernetFrame(eth('0800', ip.subarray(0, 25)));
    expect(ev).toMatchObject({ kind: 'vrrp', decoded: null });
    expect(ev.kind === 'vrrp' && ev.error).toMatch(/^truncated/);
  });

  it('anything else is "other" with its EtherType', () => {
    expect(decodeEthernetFrame(eth('88cc', Buffer.alloc(30)))).toEqual({ kind: 'other', etherType: 0x88cc });
    const udp = encodeIpv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', ttl: 64, protocol: 17 }, Buffer.alloc(8));
    expect(decodeEthernetFrame(eth('0800', udp))).toEqual({ kind: 'other', etherType: 0x0800 });
    expect(decodeEthernetFrame(Buffer.alloc(5))).toMatchObject({ kind: 'other', etherType: 0 });
  });

  it(
    'never throws, on random bytes or on mutated valid frames',
    () => {
      const seeds = [
        buildGratuitousArp({ srcMac: MAC, vip: '10.99.0.254' }),
        buildUnsolicitedNa({ srcMac: VMAC6, srcIp: 'fe80::1', vip: '2001:db8::1', router: true }),
        eth('86dd', packet6(message6(v3Advert6()))),
      ];
      const mutated = fc
        .tuple(
          fc.constantFrom(...seeds),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
          fc.nat(),
        )
        .map(([seed, edits, cut]) => {
          const b = Buffer.from(seed);
          for (const [at, value] of edits) b[at % b.length] = value;
          return b.subarray(0, b.length - (cut % 20));
        });
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ maxLength: 120 }), mutated), (bytes) => {
          decodeEthernetFrame(bytes);
        }),
        { numRuns: fuzzRuns() },
      );
    },
    fuzzTimeoutMs(),
  );
});
