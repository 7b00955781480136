import { VrrpLabError } from '../../src/util/errors.js';

/**
 * Reader for classic libpcap files (not pcapng): either byte order, µs (0xa1b2c3d4) or ns (0xa1b23c4d)
 * timestamps. Works incrementally so a capture can be read while tcpdump is still writing it: a record cut
 * short at the end of the data is kept back until more bytes arrive.
 */

export const LINKTYPE_EN10MB = 1;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;

export interface PcapHeader {
  littleEndian: boolean;
  nanoseconds: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  linktype: number;
}

export interface PcapRecord {
  /** 0-based position in the file. */
  index: number;
  tsSec: number;
  /** Sub-second part in ns (µs files are scaled up, so this is always ns). */
  tsNs: number;
  /** Wall-clock ms since the epoch, with fraction (a double keeps ~0.3 µs at today's epoch values). */
  wallMs: number;
  capLen: number;
  origLen: number;
  data: Uint8Array;
}

export class PcapFormatError extends VrrpLabError {
  override readonly name = 'PcapFormatError';
}

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;
// A record longer than this is corruption, not a packet (libpcap uses the same kind of sanity bound).
const MAX_RECORD = 256 * 1024 * 1024;

export function parsePcapHeader(b: Uint8Array): PcapHeader {
  if (b.length < HEADER_LEN) throw new PcapFormatError(`pcap header needs ${HEADER_LEN} bytes, got ${b.length}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let le: boolean;
  const be = v.getUint32(0, false);
  const lm = v.getUint32(0, true);
  if (be === MAGIC_US || be === MAGIC_NS) le = false;
  else if (lm === MAGIC_US || lm === MAGIC_NS) le = true;
  else throw new PcapFormatError(`not a classic pcap file (magic 0x${be.toString(16).padStart(8, '0')})`);
  return {
    littleEndian: le,
    nanoseconds: v.getUint32(0, le) === MAGIC_NS,
    versionMajor: v.getUint16(4, le),
    versionMinor: v.getUint16(6, le),
    snaplen: v.getUint32(16, le),
    // The top bits of this field may carry FCS information (pcap spec "LinkType and additional information").
    linktype: v.getUint32(20, le) & 0xffff,
  };
}

export class PcapReader {
  header: PcapHeader | undefined;
  private pending: Uint8Array = new Uint8Array(0);
  private count = 0;

  /** Feed the next bytes of the file; returns the records completed by them. */
  push(chunk: Uint8Array): PcapRecord[] {
    this.pending = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    let off = 0;
    if (!this.header) {
      if (this.pending.length < HEADER_LEN) return [];
      this.header = parsePcapHeader(this.pending);
      off = HEADER_LEN;
    }
    const h = this.header;
    const v = new DataView(this.pending.buffer, this.pending.byteOffset, this.pending.byteLength);
    const out: PcapRecord[] = [];
    while (off + RECORD_HEADER_LEN <= this.pending.length) {
      const tsSec = v.getUint32(off, h.littleEndian);
      const frac = v.getUint32(off + 4, h.littleEndian);
      const capLen = v.getUint32(off + 8, h.littleEndian);
      const origLen = v.getUint32(off + 12, h.littleEndian);
      if (capLen > MAX_RECORD)
        throw new PcapFormatError(`record ${this.count}: captured length ${capLen} is not plausible`);
      if (off + RECORD_HEADER_LEN + capLen > this.pending.length) break;
      const tsNs = h.nanoseconds ? frac : frac * 1000;
      const start = off + RECORD_HEADER_LEN;
      out.push({
        index: this.count++,
        tsSec,
        tsNs,
        wallMs: tsSec * 1000 + tsNs / 1e6,
        capLen,
        origLen,
        data: this.pending.slice(start, start + capLen),
      });
      off = start + capLen;
    }
    this.pending = this.pending.slice(off);
    return out;
  }

  /** Bytes of an incomplete trailing record (non-zero at end of file = the writer was cut off mid-record). */
  get leftover(): number {
    return this.pending.length;
  }
}

export interface PcapFile {
  header: PcapHeader;
  records: PcapRecord[];
  /** Trailing bytes that do not form a whole record. */
  truncatedBytes: number;
}

export function parsePcap(buf: Uint8Array): PcapFile {
  const r = new PcapReader();
  const records = r.push(buf);
  if (!r.header) throw new PcapFormatError(`pcap header needs ${HEADER_LEN} bytes, got ${buf.length}`);
  return { header: r.header, records, truncatedBytes: r.leftover };
}

/** Build a pcap file in memory (tests and fixtures; never commit binary captures). */
export function writePcap(
  records: readonly { tsSec: number; tsFrac: number; data: Uint8Array; origLen?: number }[],
  opts: { littleEndian?: boolean; nanoseconds?: boolean; linktype?: number; snaplen?: number } = {},
): Uint8Array {
  const le = opts.littleEndian ?? true;
  const total = HEADER_LEN + records.reduce((n, r) => n + RECORD_HEADER_LEN + r.data.length, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, opts.nanoseconds ? MAGIC_NS : MAGIC_US, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, opts.snaplen ?? 262144, le);
  v.setUint32(20, opts.linktype ?? LINKTYPE_EN10MB, le);
  let off = HEADER_LEN;
  for (const r of records) {
    v.setUint32(off, r.tsSec, le);
    v.setUint32(off + 4, r.tsFrac, le);
    v.setUint32(off + 8, r.data.length, le);
    v.setUint32(off + 12, r.origLen ?? r.data.length, le);
    out.set(r.data, off + RECORD_HEADER_LEN);
    off += RECORD_HEADER_LEN + r.data.length;
  }
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
