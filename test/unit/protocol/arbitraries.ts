import fc from 'fast-check';
import {
  type AdvertInput,
  formatIpv4,
  formatIpv6,
  isIpv4MappedV6,
  type V3Ipv4ChecksumForm,
} from '../../../src/protocol/index.js';

/** fast-check generators for wire-valid adverts with their IP context. */

export interface AdvertCase {
  advert: Required<Omit<AdvertInput, 'authPass'>>;
  family: 4 | 6;
  src: string;
  dst: string;
  form: V3Ipv4ChecksumForm;
}

export const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => formatIpv4(b));
export const ipv6 = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .filter((b) => !isIpv4MappedV6(b))
  .map((b) => formatIpv6(b));
export const linkLocal = fc
  .uint8Array({ minLength: 8, maxLength: 8 })
  .map((iid) => formatIpv6(Uint8Array.from([0xfe, 0x80, 0, 0, 0, 0, 0, 0, ...iid])));

const common = {
  vrid: fc.integer({ min: 1, max: 255 }),
  priority: fc.integer({ min: 0, max: 255 }),
};

const v2Case: fc.Arbitrary<AdvertCase> = fc
  .record({
    ...common,
    seconds: fc.integer({ min: 1, max: 255 }),
    addresses: fc.array(ipv4, { minLength: 1, maxLength: 20 }),
    authType: fc.integer({ min: 0, max: 255 }),
    authData: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    src: ipv4,
    dst: fc.oneof(fc.constant('224.0.0.18'), ipv4),
  })
  .map((r) => ({
    advert: {
      version: 2,
      type: 1,
      vrid: r.vrid,
      priority: r.priority,
      advertIntervalCs: r.seconds * 100,
      addresses: r.addresses,
      authType: r.authType,
      authData: r.authData,
      reserved: 0,
    },
    family: 4,
    src: r.src,
    dst: r.dst,
    form: 'rfc5798',
  }));

const v3v4Case: fc.Arbitrary<AdvertCase> = fc
  .record({
    ...common,
    interval: fc.integer({ min: 1, max: 4095 }),
    addresses: fc.array(ipv4, { minLength: 1, maxLength: 20 }),
    src: ipv4,
    dst: fc.oneof(fc.constant('224.0.0.18'), ipv4),
    form: fc.constantFrom<V3Ipv4ChecksumForm>('rfc5798', 'rfc9568'),
  })
  .map((r) => ({
    advert: {
      version: 3,
      type: 1,
      vrid: r.vrid,
      priority: r.priority,
      advertIntervalCs: r.interval,
      addresses: r.addresses,
      authType: 0,
      authData: new Uint8Array(0),
      reserved: 0,
    },
    family: 4,
    src: r.src,
    dst: r.dst,
    form: r.form,
  }));

const v3v6Case: fc.Arbitrary<AdvertCase> = fc
  .record({
    ...common,
    interval: fc.integer({ min: 1, max: 4095 }),
    first: linkLocal,
    rest: fc.array(ipv6, { maxLength: 10 }),
    src: linkLocal,
    dst: fc.oneof(fc.constant('ff02::12'), ipv6),
  })
  .map((r) => ({
    advert: {
      version: 3,
      type: 1,
      vrid: r.vrid,
      priority: r.priority,
      advertIntervalCs: r.interval,
      addresses: [r.first, ...r.rest],
      authType: 0,
      authData: new Uint8Array(0),
      reserved: 0,
    },
    family: 6,
    src: r.src,
    dst: r.dst,
    form: 'rfc5798',
  }));

export const advertCase: fc.Arbitrary<AdvertCase> = fc.oneof(v2Case, v3v4Case, v3v6Case);
