import { parseAddress } from './addresses.js';
import { computeVrrpChecksum } from './checksum.js';
import { AUTH_NONE, AUTH_PASS, V2_AUTH_DATA_LENGTH, V3_MAX_INTERVAL_CS, VRRP_TYPE_ADVERTISEMENT } from './constants.js';
import { ProtocolInputError } from './errors.js';
import type { AdvertInput, ChecksumForm, Family, V3Ipv4ChecksumForm } from './types.js';

export interface EncodeOptions {
  family: Family;
  /** IP source and destination: the v3 pseudo-headers include them. */
  src: string;
  dst: string;
  /** v3 over IPv4 only. Default 'rfc5798', the form keepalived 2.2.7 and FRR 8.4.4 require. */
  checksumForm?: V3Ipv4ChecksumForm;
}

function checkField(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ProtocolInputError(`${name} must be an integer 0..${max}, got ${value}`);
  }
  return value;
}

/** RFC 2338 §5.3.6: the password in the 8 Authentication Data bytes, zero-padded; longer passwords are cut at 8 bytes. */
export function authDataFromPassword(password: string): Buffer {
  const data = Buffer.alloc(V2_AUTH_DATA_LENGTH);
  Buffer.from(password, 'utf8').copy(data, 0, 0, V2_AUTH_DATA_LENGTH);
  return data;
}

function v2AuthData(a: AdvertInput): Buffer {
  if (a.authData !== undefined) {
    if (a.authData.length > V2_AUTH_DATA_LENGTH) {
      throw new ProtocolInputError(`authData is at most ${V2_AUTH_DATA_LENGTH} bytes, got ${a.authData.length}`);
    }
    const data = Buffer.alloc(V2_AUTH_DATA_LENGTH);
    data.set(a.authData);
    return data;
  }
  return authDataFromPassword(a.authPass ?? '');
}

/**
 * The VRRP message alone, as a raw IP socket sends it. A codec, not a policy: every field may hold any value
 * its bits can (VRRP 0, Type 2, Count 0, priority 0, interval 0, rsvd bits, addresses of either family), so tests
 * and the harness can craft the invalid packets the RFCs require a receiver to discard. Each address is written
 * in its own family's size. Throws ProtocolInputError for values that do not fit their field.
 */
export function encodeAdvert(a: AdvertInput, opts: EncodeOptions): Buffer {
  const type = checkField('type', a.type ?? VRRP_TYPE_ADVERTISEMENT, 15);
  const vrid = checkField('vrid', a.vrid, 255);
  const priority = checkField('priority', a.priority, 255);
  const count = checkField('address count', a.addresses.length, 255);
  const addressBytes = a.addresses.map((text) => parseAddress(text).bytes);
  const addressLength = addressBytes.reduce((n, b) => n + b.length, 0);

  let header: Buffer;
  let trailer: Buffer;
  let form: ChecksumForm;
  if (a.version === 2) {
    // v2 carries whole seconds (RFC 3768 §5.3.7); sub-second intervals need v3 (docs/quirks.md Q7).
    if (a.advertIntervalCs % 100 !== 0) {
      throw new ProtocolInputError(
        `VRRPv2 interval must be whole seconds (a multiple of 100 cs), got ${a.advertIntervalCs}`,
      );
    }
    const seconds = checkField('v2 advert interval (s)', a.advertIntervalCs / 100, 255);
    const authType = checkField('authType', a.authType ?? (a.authPass !== undefined ? AUTH_PASS : AUTH_NONE), 255);
    header = Buffer.from([0x20 | type, vrid, priority, count, authType, seconds, 0, 0]);
    trailer = v2AuthData(a);
    form = 'v2';
  } else if (a.version === 3) {
    const interval = checkField('v3 advert interval (cs)', a.advertIntervalCs, V3_MAX_INTERVAL_CS);
    const reserved = checkField('reserved', a.reserved ?? 0, 15);
    header = Buffer.from([
      0x30 | type,
      vrid,
      priority,
      count,
      (reserved << 4) | (interval >> 8),
      interval & 0xff,
      0,
      0,
    ]);
    trailer = Buffer.alloc(0);
    form = opts.family === 6 ? 'ipv6' : (opts.checksumForm ?? 'rfc5798');
  } else {
    throw new ProtocolInputError(`version must be 2 or 3, got ${String((a as { version: unknown }).version)}`);
  }

  const message = Buffer.concat([header, ...addressBytes, trailer], header.length + addressLength + trailer.length);
  message.writeUInt16BE(computeVrrpChecksum(message, form, opts.src, opts.dst), 6);
  return message;
}
