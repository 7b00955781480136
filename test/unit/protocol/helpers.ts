import {
  type AdvertInput,
  type ChecksumForm,
  computeVrrpChecksum,
  encodeAdvert,
  encodeIpv4Packet,
  encodeIpv6Packet,
} from '../../../src/protocol/index.js';

/** Shared builders for crafted packets in the protocol tests. */

export const SRC4 = '10.99.0.11';
export const DST4 = '224.0.0.18';
export const SRC6 = 'fe80::11';
export const DST6 = 'ff02::12';

export const v2Advert = (over: Partial<AdvertInput> = {}): AdvertInput => ({
  version: 2,
  vrid: 51,
  priority: 100,
  advertIntervalCs: 100,
  addresses: ['10.99.0.254'],
  ...over,
});

export const v3Advert = (over: Partial<AdvertInput> = {}): AdvertInput => ({
  version: 3,
  vrid: 51,
  priority: 100,
  advertIntervalCs: 100,
  addresses: ['10.99.0.254'],
  ...over,
});

export const v3Advert6 = (over: Partial<AdvertInput> = {}): AdvertInput =>
  v3Advert({ addresses: ['fe80::254', '2001:db8::254'], ...over });

export function packet4(message: Uint8Array, ttl = 255): Buffer {
  return encodeIpv4Packet({ src: SRC4, dst: DST4, ttl }, message);
}

export function packet6(message: Uint8Array, hopLimit = 255): Buffer {
  return encodeIpv6Packet({ src: SRC6, dst: DST6, hopLimit }, message);
}

export const message4 = (a: AdvertInput) => encodeAdvert(a, { family: 4, src: SRC4, dst: DST4 });
export const message6 = (a: AdvertInput) => encodeAdvert(a, { family: 6, src: SRC6, dst: DST6 });

/** Applies `mutate` to a copy of `message` and rewrites the checksum, so only the intended field is wrong. */
export function mutate(
  message: Uint8Array,
  change: (m: Buffer) => Buffer | undefined,
  form: ChecksumForm,
  family: 4 | 6 = 4,
): Buffer {
  const copy = Buffer.from(message);
  const changed = change(copy) ?? copy;
  const [src, dst] = family === 4 ? [SRC4, DST4] : [SRC6, DST6];
  changed.writeUInt16BE(computeVrrpChecksum(changed, form, src, dst), 6);
  return changed;
}
