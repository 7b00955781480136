import { tryParseAddress } from '../protocol/addresses.js';

/**
 * Tie-break comparison of primary addresses (RFC 5798 §6.4.3; RFC 9568 §6.4.3 makes it explicit: unsigned
 * integers in network byte order). "10.0.0.10" is greater than "10.0.0.2", which a string compare gets wrong.
 */

/** Network-order bytes of an IPv4 dotted quad or an IPv6 address (zone id allowed); null if not an address. */
export function addressBytes(address: string): Uint8Array | null {
  return tryParseAddress(address.split('%')[0] ?? '')?.bytes ?? null;
}

/**
 * Sign of a − b as unsigned network-order integers: 1, 0 or −1. Null when either side does not parse or the
 * families differ; callers treat that as "not greater", so a malformed source never wins an election.
 */
export function compareAddresses(a: string, b: string): -1 | 0 | 1 | null {
  const x = addressBytes(a);
  const y = addressBytes(b);
  if (x === null || y === null || x.length !== y.length) return null;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d > 0 ? 1 : -1;
  }
  return 0;
}
