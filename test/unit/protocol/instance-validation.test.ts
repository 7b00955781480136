import { describe, expect, it } from 'vitest';
import {
  type AdvertInput,
  type DecodedAdvert,
  decodeIpPacket,
  encodeAdvert,
  encodeIpv4Packet,
  INSTANCE_NOTES,
  INSTANCE_REASONS,
  type InstanceNote,
  type InstanceReason,
  type LocalInstanceView,
  validateForInstance,
} from '../../../src/protocol/index.js';
import { message4, message6, packet4, packet6, SRC4, v2Advert, v3Advert, v3Advert6 } from './helpers.js';

function decode(packet: Uint8Array): DecodedAdvert {
  const r = decodeIpPacket(packet);
  if (!r.ok || r.value.errors.length > 0) throw new Error('test packet should be wire-valid');
  return r.value;
}

const v2 = (over: Partial<AdvertInput> = {}) => decode(packet4(message4(v2Advert(over))));
const v3 = (over: Partial<AdvertInput> = {}) => decode(packet4(message4(v3Advert(over))));
const PEER_DST = '10.99.0.12';
/** A v3 advert sent to a unicast peer, arriving with `ttl` (the TTL check is the dispatcher's, not ours). */
function uni3(ttl = 255): DecodedAdvert {
  const msg = encodeAdvert(v3Advert(), { family: 4, src: SRC4, dst: PEER_DST });
  const d = decode(encodeIpv4Packet({ src: SRC4, dst: PEER_DST, ttl: 255 }, msg));
  return { ...d, ip: { ...d.ip, ttl } };
}

const localV2: LocalInstanceView = {
  version: 2,
  vrid: 51,
  advertIntervalCs: 100,
  authType: 0,
  addresses: ['10.99.0.254/24'],
  isOwner: false,
};
const localV3: LocalInstanceView = { ...localV2, version: 3 };

const dropSeen = new Set<InstanceReason>();
const notesSeen = new Set<InstanceNote>();
function check(d: DecodedAdvert, local: LocalInstanceView) {
  const verdict = validateForInstance(d, local);
  for (const r of verdict.drop) dropSeen.add(r);
  for (const n of verdict.notes) notesSeen.add(n);
  return verdict;
}

describe('validateForInstance (RFC 3768/5798 §7.1)', () => {
  it('a matching advert passes with nothing to note (v2 and v3; VIP prefix ignored)', () => {
    expect(check(v2(), localV2)).toEqual({ drop: [], notes: [] });
    expect(check(v3(), localV3)).toEqual({ drop: [], notes: [] });
  });

  it("R7: another VRID → 'vrid-mismatch' only; this router's checks are skipped", () => {
    expect(check(v2({ vrid: 52, advertIntervalCs: 300 }), localV2)).toEqual({ drop: ['vrid-mismatch'], notes: [] });
  });

  it("R3: a v2 advert to a v3 instance, and the reverse → 'version-mismatch'", () => {
    expect(check(v2(), localV3).drop).toEqual(['version-mismatch']);
    expect(check(v3(), localV2).drop).toEqual(['version-mismatch']);
  });

  it("R8: v2 auth type 1 against local 0 → 'auth-type'", () => {
    expect(check(v2({ authPass: 's3cr3t' }), localV2).drop).toEqual(['auth-type']);
  });

  it("v2 PASS with the wrong password → 'auth-fail'; the right one passes", () => {
    const local = { ...localV2, authType: 1, authPass: 's3cr3t' };
    expect(check(v2({ authPass: 'wrong' }), local).drop).toEqual(['auth-fail']);
    expect(check(v2({ authPass: 's3cr3t' }), local).drop).toEqual([]);
  });

  it('v2 PASS compares only the first 8 bytes, as keepalived does', () => {
    const local = { ...localV2, authType: 1, authPass: 'abcdefgh-ignored' };
    expect(check(v2({ authPass: 'abcdefghXYZ' }), local).drop).toEqual([]);
  });

  it("R9: v2 Adver Int ≠ local → 'interval-mismatch' (drop)", () => {
    expect(check(v2({ advertIntervalCs: 200 }), localV2)).toEqual({ drop: ['interval-mismatch'], notes: [] });
  });

  it("R10: v3 Max Adver Int ≠ local → note 'interval-differs', not dropped", () => {
    expect(check(v3({ advertIntervalCs: 200 }), localV3)).toEqual({ drop: [], notes: ['interval-differs'] });
  });

  it("R14: v2 address list differs → 'address-list' drop", () => {
    expect(check(v2({ addresses: ['10.99.0.254', '10.99.0.253'] }), localV2).drop).toEqual(['address-list']);
    expect(check(v2({ addresses: ['10.99.0.253'] }), localV2).drop).toEqual(['address-list']);
  });

  it('R14: v2 address list differs but the sender is the owner (255) → note only', () => {
    expect(check(v2({ priority: 255, addresses: ['10.99.0.253'] }), localV2)).toEqual({
      drop: [],
      notes: ['address-list-differs'],
    });
  });

  it("R14: v3 address list differs → note 'address-list-differs', not dropped (5798 §7.1)", () => {
    expect(check(v3({ addresses: ['10.99.0.253'] }), localV3)).toEqual({ drop: [], notes: ['address-list-differs'] });
  });

  it('address lists compare as sets of canonical addresses', () => {
    const d = decode(packet6(message6(v3Advert6({ addresses: ['fe80::254', '2001:db8::254'] }))));
    const local = { ...localV3, addresses: ['2001:DB8:0:0::254', 'fe80:0::254'] };
    expect(check(d, local)).toEqual({ drop: [], notes: [] });
  });

  it('skipAddressChecks (skip_check_adv_addr, same Master): no address-list, unicast-source or TTL-range drop', () => {
    expect(check(v2({ addresses: ['10.99.0.253'] }), { ...localV2, skipAddressChecks: true })).toEqual({
      drop: [],
      notes: [],
    });
    const strict = { ...localV3, checkUnicastSrc: true, unicastPeers: ['10.99.0.12'], skipAddressChecks: true };
    expect(check(uni3(), strict).drop).toEqual([]);
    expect(
      check(v2({ addresses: ['10.99.0.253'] }), { ...localV2, authType: 1, skipAddressChecks: true }).drop,
    ).toEqual(['auth-type']);
  });

  it("the owner receiving an advert → note 'owner-received' only (erratum 8298)", () => {
    expect(check(v3(), { ...localV3, isOwner: true })).toEqual({ drop: [], notes: ['owner-received'] });
  });

  it("unicast mode with check_unicast_src: a source that is not a peer → 'unicast-peer-unknown'; a peer passes", () => {
    const on = { ...localV3, checkUnicastSrc: true };
    expect(check(uni3(), { ...on, unicastPeers: ['10.99.0.12', '10.99.0.13'] }).drop).toEqual(['unicast-peer-unknown']);
    expect(check(uni3(), { ...on, unicastPeers: ['10.99.0.12', SRC4] }).drop).toEqual([]);
    expect(check(v3(), { ...on, unicastPeers: [] }).drop).toEqual([]);
  });

  it('unicast mode without check_unicast_src accepts any source (keepalived default)', () => {
    expect(check(uni3(), { ...localV3, unicastPeers: ['10.99.0.12', '10.99.0.13'] }).drop).toEqual([]);
  });

  it("check_unicast_src: the peer's TTL outside min_ttl..max_ttl → 'ttl-range'", () => {
    const on = { ...localV3, checkUnicastSrc: true, unicastPeers: [SRC4] };
    expect(check(uni3(254), { ...on, peerTtl: { [SRC4]: { min: 0, max: 253 } } }).drop).toEqual(['ttl-range']);
    expect(check(uni3(199), { ...on, peerTtl: { [SRC4]: { min: 200, max: 255 } } }).drop).toEqual(['ttl-range']);
    expect(check(uni3(200), { ...on, peerTtl: { [SRC4]: { min: 200, max: 255 } } }).drop).toEqual([]);
    expect(check(uni3(3), on).drop).toEqual([]);
  });

  it("a multicast advert for a unicast instance, a unicast one for a multicast instance, or another group → 'destination'", () => {
    expect(check(v3(), { ...localV3, unicastPeers: [SRC4] }).drop).toEqual(['destination']);
    expect(check(uni3(), localV3).drop).toEqual(['destination']);
    expect(check(v3(), { ...localV3, multicastGroup: '224.0.0.50' }).drop).toEqual(['destination']);
    expect(check(v3(), { ...localV3, multicastGroup: '224.0.0.18' }).drop).toEqual([]);
  });

  it('reports every applicable drop reason at once', () => {
    const local = { ...localV2, authType: 1, authPass: 'x', unicastPeers: ['10.99.0.13'], checkUnicastSrc: true };
    expect(check(v2({ advertIntervalCs: 300, addresses: ['10.0.0.1'] }), local).drop).toEqual([
      'destination',
      'unicast-peer-unknown',
      'auth-type',
      'interval-mismatch',
      'address-list',
    ]);
  });

  it('every InstanceReason and InstanceNote was produced by a case above', () => {
    expect([...dropSeen].sort()).toEqual([...INSTANCE_REASONS].sort());
    expect([...notesSeen].sort()).toEqual([...INSTANCE_NOTES].sort());
  });
});
