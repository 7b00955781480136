import { describe, expect, it } from 'vitest';
import { decodeEthernetFrame, parseMldReport, solicitedNodeGroup } from '../../../src/protocol/index.js';

/** An MLDv2 report captured from Linux 6.x on a veth (tcpdump -xx): joining the solicited-node group of its link-local. */
const MLDV2_REPORT = Buffer.from(
  [
    '3333 0000 0016 aa6a 1b71 d0b3 86dd 6000',
    '0000 0024 0001 0000 0000 0000 0000 0000',
    '0000 0000 0000 ff02 0000 0000 0000 0000',
    '0000 0000 0016 3a00 0502 0000 0100 8f00',
    '9e65 0000 0001 0400 0000 ff02 0000 0000',
    '0000 0000 0001 ff71 d0b3',
  ]
    .join('')
    .replace(/ /g, ''),
  'hex',
);

/** A Neighbor Solicitation from the same capture: ICMPv6 without a Hop-by-Hop header, not a report. */
const NS = Buffer.from(
  [
    '3333 ff71 d0b3 aa6a 1b71 d0b3 86dd 6000',
    '0000 0020 3aff 0000 0000 0000 0000 0000',
    '0000 0000 0000 ff02 0000 0000 0000 0000',
    '0001 ff71 d0b3 8700 02e9 0000 0000 fe80',
    '0000 0000 0000 a86a 1bff fe71 d0b3 0e01',
    '9046 b1b5 c484',
  ]
    .join('')
    .replace(/ /g, ''),
  'hex',
);

describe('MLD reports', () => {
  it('solicitedNodeGroup takes the low 24 bits (RFC 4291 §2.7.1)', () => {
    expect(solicitedNodeGroup('fe80::a86a:1bff:fe71:d0b3')).toBe('ff02::1:ff71:d0b3');
    expect(solicitedNodeGroup('fd66::254')).toBe('ff02::1:ff00:254');
  });

  it('decodes the groups of a real MLDv2 report behind its Hop-by-Hop header', () => {
    const ev = decodeEthernetFrame(MLDV2_REPORT);
    expect(ev).toMatchObject({ kind: 'mld-report', src: '::', srcMac: 'aa:6a:1b:71:d0:b3' });
    expect(ev.kind === 'mld-report' && ev.groups).toEqual(['ff02::1:ff71:d0b3']);
  });

  it('walks several v2 records, sources and aux data included, and reads an MLDv1 report', () => {
    const ip = Buffer.from(MLDV2_REPORT.subarray(14));
    const rec = (group: string, sources: number, auxWords: number) => {
      const r = Buffer.alloc(20 + sources * 16 + auxWords * 4);
      r[0] = 4;
      r[1] = auxWords;
      r.writeUInt16BE(sources, 2);
      Buffer.from(group.replace(/:/g, ''), 'hex').copy(r, 4);
      return r;
    };
    const icmpHead = Buffer.from(ip.subarray(48, 56));
    icmpHead.writeUInt16BE(2, 6);
    const two = Buffer.concat([
      ip.subarray(0, 48),
      icmpHead,
      rec('ff020000000000000000000000000002', 1, 1),
      rec('ff0200000000000000000001ff000254', 0, 0),
    ]);
    expect(parseMldReport(two)).toEqual(['ff02::2', 'ff02::1:ff00:254']);
    const v1 = Buffer.from(ip.subarray(0, 72));
    v1[48] = 131;
    Buffer.from('ff0200000000000000000001ff000254', 'hex').copy(v1, 56);
    expect(parseMldReport(v1)).toEqual(['ff02::1:ff00:254']);
  });

  it('is not a report: a Neighbor Solicitation, a truncated record', () => {
    expect(decodeEthernetFrame(NS).kind).toBe('other');
    expect(parseMldReport(MLDV2_REPORT.subarray(14, MLDV2_REPORT.length - 4))).toBeNull();
  });
});
