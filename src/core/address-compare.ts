/**
 * Tie-break comparison of primary addresses (RFC 5798 §6.4.3; RFC 9568 §6.4.3 makes it explicit: unsigned
 * integers in network byte order). "10.0.0.10" is greater than "10.0.0.2", which a string compare gets wrong.
 */

/** Network-order bytes of an IPv4 dotted quad or an IPv6 address (zone id allowed); null if not an address. */
export function addressBytes(address: string): Uint8Array | null {
  return address.includes(':') ? ipv6Bytes(address) : ipv4Bytes(address);
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

function ipv4Bytes(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function ipv6Bytes(text: string): Uint8Array | null {
  const withoutZone = text.split('%')[0] ?? '';
  const halves = withoutZone.split('::');
  if (halves.length > 2) return null;
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  for (const [i, g] of all.entries()) {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  }
  return out;
}

/** 16-bit groups of one side of "::"; a trailing dotted quad counts as two groups (RFC 4291 §2.2 form 3). */
function groups(side: string): number[] | null {
  if (side === '') return [];
  const fields = side.split(':');
  const out: number[] = [];
  for (const [i, field] of fields.entries()) {
    if (i === fields.length - 1 && field.includes('.')) {
      const v4 = ipv4Bytes(field);
      if (v4 === null) return null;
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(field)) return null;
      out.push(Number.parseInt(field, 16));
    }
  }
  return out;
}
