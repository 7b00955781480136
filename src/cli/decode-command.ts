import { decodeIpPacket } from '../protocol/decode-packet.js';
import { parseHex } from '../protocol/hex.js';
import type { DecodedAdvert } from '../protocol/types.js';

/**
 * `vrrpd decode HEX`: decode one whole IPv4/IPv6 packet carrying VRRP and print ONE JSON object on stdout.
 *
 * Exit codes: 0 = a valid advert; 1 = a VRRP packet that fails a wire check (the JSON is printed, `valid` is false
 * and `errors` has the reason codes); 2 = not a VRRP packet at all. For 2, stdout is also one JSON object:
 * `{"error": "<reason>", "detail": "<text>"}` where reason is 'not-hex', 'not-ip', 'not-vrrp' or 'truncated',
 * so scripts can always parse stdout. Input may have spaces, colons, dashes and 0x prefixes.
 */
export function decodeCommand(hex: string): { stdout: string; exitCode: 0 | 1 | 2 } {
  const bytes = parseHex(hex);
  if (!bytes) {
    return failure('not-hex', 'input is not an even number of hex digits (separators allowed: whitespace, ":", "-")');
  }
  const result = decodeIpPacket(bytes);
  if (!result.ok) return failure(result.reason, result.detail);
  const report = toReport(result.value);
  return { stdout: JSON.stringify(report), exitCode: report.valid ? 0 : 1 };
}

function failure(error: string, detail: string): { stdout: string; exitCode: 2 } {
  return { stdout: JSON.stringify({ error, detail }), exitCode: 2 };
}

function toReport(d: DecodedAdvert): Record<string, unknown> {
  const a = d.advert;
  const versionSpecific =
    a.version === 2
      ? {
          authType: a.authType,
          authData: a.authData.toString('hex'),
          // RFC 2338 PASS: the password is NUL-padded; show it as text for reading keepalived captures.
          ...(a.authType === 1 ? { authPass: a.authData.toString('latin1').replace(/\0+$/, '') } : {}),
        }
      : { reserved: a.reserved };
  return {
    ipVersion: d.ip.family,
    src: d.ip.src,
    dst: d.ip.dst,
    ttl: d.ip.ttl,
    version: d.wireVersion,
    type: a.type,
    vrid: a.vrid,
    priority: a.priority,
    count: d.count,
    advertIntervalCs: a.advertIntervalCs,
    ...versionSpecific,
    addresses: a.addresses,
    length: d.length,
    checksum: `0x${d.checksum.toString(16).padStart(4, '0')}`,
    checksumValid: d.checksumValid,
    checksumForm: d.checksumForm,
    valid: d.errors.length === 0,
    errors: d.errors,
  };
}
