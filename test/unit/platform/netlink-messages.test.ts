import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AF_INET,
  AF_INET6,
  encodeAttr,
  encodeIfAddrMsg,
  encodeIfInfoMsg,
  encodeMessage,
  IFA_ADDRESS,
  IFA_F_NODAD,
  IFA_F_SECONDARY,
  IFA_F_TENTATIVE,
  IFA_FLAGS,
  IFA_LABEL,
  IFA_LOCAL,
  IFLA_ADDRESS,
  IFLA_IFNAME,
  IFLA_OPERSTATE,
  NLM_F_REQUEST,
  NLMSG_DONE,
  NLMSG_ERROR,
  parseAddressMessage,
  parseAttrs,
  parseErrorMessage,
  parseLinkMessage,
  parseMessages,
  RTM_DELLINK,
  RTM_NEWADDR,
  RTM_NEWLINK,
  stringAttr,
  u32Attr,
} from '../../../src/platform/netlink/messages.js';

const fixture = (name: string): Buffer =>
  Buffer.from(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8').trim(), 'hex');

function ifinfo(ifindex: number, flags: number, attrs: Buffer[]): Buffer {
  const b = encodeIfInfoMsg({ ifindex });
  b.writeUInt32LE(flags, 8);
  return Buffer.concat([b, ...attrs]);
}

describe('netlink framing', () => {
  it('encodes a header with the aligned length and parses it back', () => {
    const body = Buffer.from([1, 2, 3, 4, 5]);
    const msg = encodeMessage({ type: RTM_NEWLINK, flags: NLM_F_REQUEST, seq: 7, pid: 9 }, body);
    expect(msg.length).toBe(24); // 16 + 5, padded to 4
    expect(msg.readUInt32LE(0)).toBe(21); // nlmsg_len is the unpadded length
    const [m] = parseMessages(msg);
    expect(m).toMatchObject({ type: RTM_NEWLINK, flags: NLM_F_REQUEST, seq: 7, pid: 9 });
    expect(m?.payload).toEqual(body);
  });

  it('splits concatenated messages and stops at a truncated one', () => {
    const a = encodeMessage({ type: RTM_NEWLINK, flags: 2, seq: 1 }, Buffer.alloc(16));
    const b = encodeMessage({ type: NLMSG_DONE, flags: 2, seq: 1 }, Buffer.alloc(4));
    expect(parseMessages(Buffer.concat([a, b])).map((m) => m.type)).toEqual([RTM_NEWLINK, NLMSG_DONE]);
    expect(parseMessages(Buffer.concat([a, b.subarray(0, 10)]))).toHaveLength(1);
    const lying = Buffer.from(a);
    lying.writeUInt32LE(4000, 0);
    expect(parseMessages(lying)).toEqual([]);
  });

  it('encodes attributes padded to 4 bytes and parses them, masking the nested flag', () => {
    const attrs = Buffer.concat([
      stringAttr(IFLA_IFNAME, 'eth0'),
      u32Attr(5, 1500),
      encodeAttr(0x8000 | 7, Buffer.alloc(0)),
    ]);
    expect(stringAttr(IFLA_IFNAME, 'eth0').length).toBe(12); // 4 + "eth0\0" = 9 → 12
    const m = parseAttrs(attrs);
    expect(m.get(IFLA_IFNAME)?.toString()).toBe('eth0\0');
    expect(m.get(5)?.readUInt32LE(0)).toBe(1500);
    expect(m.has(7)).toBe(true);
  });
});

describe('link messages', () => {
  it('parses a real RTM_NEWLINK from the kernel (veth whose peer is down)', () => {
    const [m] = parseMessages(fixture('rtm-newlink-veth-lowerlayerdown.hex'));
    const link = parseLinkMessage(m!);
    expect(link).toMatchObject({
      deleted: false,
      ifname: 'vptc0',
      adminUp: true,
      running: false,
      operstate: 'LOWERLAYERDOWN',
    });
    expect(link?.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  it('reads IFF_UP / IFF_RUNNING, operstate and the MAC', () => {
    const payload = ifinfo(4, 0x1 | 0x40 | 0x10000, [
      stringAttr(IFLA_IFNAME, 'eth1'),
      encodeAttr(IFLA_OPERSTATE, Buffer.from([6])),
      encodeAttr(IFLA_ADDRESS, Buffer.from('020000000001', 'hex')),
    ]);
    const link = parseLinkMessage({ type: RTM_NEWLINK, flags: 0, seq: 0, pid: 0, payload });
    expect(link).toEqual({
      deleted: false,
      ifindex: 4,
      ifname: 'eth1',
      flags: 0x10041,
      adminUp: true,
      running: true,
      operstate: 'UP',
      mac: '02:00:00:00:00:01',
    });
  });

  it('marks RTM_DELLINK as deleted, ignores other types and short payloads', () => {
    const payload = ifinfo(9, 0, [stringAttr(IFLA_IFNAME, 'gone0')]);
    expect(parseLinkMessage({ type: RTM_DELLINK, flags: 0, seq: 0, pid: 0, payload })).toMatchObject({
      deleted: true,
      ifindex: 9,
      adminUp: false,
      operstate: 'UNKNOWN',
    });
    expect(parseLinkMessage({ type: RTM_NEWADDR, flags: 0, seq: 0, pid: 0, payload })).toBeUndefined();
    expect(parseLinkMessage({ type: RTM_NEWLINK, flags: 0, seq: 0, pid: 0, payload: Buffer.alloc(8) })).toBeUndefined();
  });
});

describe('address messages', () => {
  const addr = (family: number, bytes: number[], flags: number, extra: Buffer[] = []) =>
    Buffer.concat([
      encodeIfAddrMsg({
        family,
        prefixLength: family === AF_INET ? 24 : 64,
        flags: flags & 0xff,
        scope: 0,
        ifindex: 3,
      }),
      encodeAttr(IFA_ADDRESS, Buffer.from(bytes)),
      ...extra,
    ]);

  it('parses IPv4 with label and the secondary flag', () => {
    const payload = addr(AF_INET, [10, 0, 0, 254], IFA_F_SECONDARY, [stringAttr(IFA_LABEL, 'eth0')]);
    const a = parseAddressMessage({ type: RTM_NEWADDR, flags: 0, seq: 0, pid: 0, payload });
    expect(a).toMatchObject({ family: 4, prefixLength: 24, ifindex: 3, flags: IFA_F_SECONDARY, label: 'eth0' });
    expect([...(a?.address ?? [])]).toEqual([10, 0, 0, 254]);
  });

  it('prefers IFA_LOCAL (point-to-point peers put the peer in IFA_ADDRESS)', () => {
    const payload = addr(AF_INET, [10, 0, 0, 2], 0, [encodeAttr(IFA_LOCAL, Buffer.from([10, 0, 0, 1]))]);
    expect([...(parseAddressMessage({ type: RTM_NEWADDR, flags: 0, seq: 0, pid: 0, payload })?.address ?? [])]).toEqual(
      [10, 0, 0, 1],
    );
  });

  it('takes the 32-bit IFA_FLAGS over the 8-bit field', () => {
    const payload = addr(AF_INET6, Array(16).fill(0), IFA_F_NODAD, [u32Attr(IFA_FLAGS, IFA_F_TENTATIVE | 0x200)]);
    expect(parseAddressMessage({ type: RTM_NEWADDR, flags: 0, seq: 0, pid: 0, payload })?.flags).toBe(
      IFA_F_TENTATIVE | 0x200,
    );
  });

  it('encodes ifaddrmsg with the low 8 flag bits only', () => {
    const b = encodeIfAddrMsg({ family: AF_INET6, prefixLength: 128, flags: 0x202, scope: 253, ifindex: 0x01020304 });
    expect([...b]).toEqual([10, 128, 2, 253, 4, 3, 2, 1]);
  });
});

describe('error messages', () => {
  it('parses a real NLMSG_ERROR with an extended-ack message', () => {
    const [m] = parseMessages(fixture('nlmsgerr-erange-extack.hex'));
    expect(m?.type).toBe(NLMSG_ERROR);
    expect(parseErrorMessage(m!)).toEqual({ errno: 34, message: 'Attribute failed policy validation' });
  });

  it('reads an ACK as errno 0 and an error without TLVs', () => {
    const ack = Buffer.alloc(20);
    expect(parseErrorMessage({ type: NLMSG_ERROR, flags: 0, seq: 1, pid: 0, payload: ack })).toEqual({ errno: 0 });
    const eexist = Buffer.alloc(20);
    eexist.writeInt32LE(-17, 0);
    expect(parseErrorMessage({ type: NLMSG_ERROR, flags: 0x100, seq: 1, pid: 0, payload: eexist })).toEqual({
      errno: 17,
    });
    expect(parseErrorMessage({ type: NLMSG_DONE, flags: 0, seq: 1, pid: 0, payload: ack })).toBeUndefined();
  });
});
