import { describe, expect, it } from 'vitest';
import type { ReceivedPacket } from '../../../src/platform/vrrp-socket.js';
import { encodeAdvert, encodeIpv4Packet } from '../../../src/protocol/index.js';
import { dispatchPacket, RunnersByVrid } from '../../../src/runtime/advert-dispatch.js';
import { DiscardLog } from '../../../src/runtime/discard-log.js';
import { DropCounters } from '../../../src/runtime/drop-counters.js';
import { InstanceRunner } from '../../../src/runtime/instance-runner.js';
import { createLogger } from '../../../src/util/logger.js';
import { RecordingIo, settings } from './helpers.js';

const log = createLogger({ sink: { write: () => {} } });
const discards = new DiscardLog(log);

function packet(opts: {
  priority: number;
  ttl?: number;
  pass?: string;
  vrid?: number;
  src?: string;
  addresses?: string[];
}): ReceivedPacket {
  const src = opts.src ?? '10.0.0.12';
  const payload = encodeAdvert(
    {
      version: 2,
      vrid: opts.vrid ?? 51,
      priority: opts.priority,
      advertIntervalCs: 100,
      addresses: opts.addresses ?? ['10.0.0.254'],
      authType: 1,
      authPass: opts.pass ?? 's3cr3t',
    },
    { family: 4, src, dst: '224.0.0.18' },
  );
  const data = encodeIpv4Packet({ src, dst: '224.0.0.18', ttl: opts.ttl ?? 255 }, payload);
  return { data, family: 4, src, dst: '224.0.0.18', ttl: opts.ttl ?? 255, ifindex: 2, receivedAtUs: 0 };
}

function masterRunner(): { runner: InstanceRunner; io: RecordingIo } {
  const io = new RecordingIo();
  const runner = new InstanceRunner(settings({ priority: 255 }), io, log);
  runner.handle({ type: 'startup' }, 0);
  runner.dispose();
  return { runner, io };
}

describe('advert dispatch', () => {
  it('skip_check_adv_addr: a Backup skips the address list for the Master it last heard, and only for it', () => {
    const grown = ['10.0.0.254', '10.0.0.253'];
    for (const skip of [false, true]) {
      const runner = new InstanceRunner({ ...settings(), skipCheckAdvAddr: skip }, new RecordingIo(), log);
      runner.handle({ type: 'startup' }, 0);
      const global = new DropCounters();
      // A first advert with another list is checked in full even with the keyword: no Master heard yet.
      dispatchPacket(packet({ priority: 200, addresses: grown }), RunnersByVrid.of([runner]), global, discards);
      expect(runner.drops.get('address-list')).toBe(1);
      dispatchPacket(packet({ priority: 200 }), RunnersByVrid.of([runner]), global, discards);
      dispatchPacket(packet({ priority: 200, addresses: grown }), RunnersByVrid.of([runner]), global, discards);
      expect(runner.drops.get('address-list')).toBe(skip ? 1 : 2);
      dispatchPacket(
        packet({ priority: 200, addresses: grown, src: '10.0.0.13' }),
        RunnersByVrid.of([runner]),
        global,
        discards,
      );
      expect(runner.drops.get('address-list')).toBe(skip ? 2 : 3);
      expect(runner.lastMasterSource).toBe('10.0.0.12');
      runner.dispose();
    }
  });

  it('a Master yields to a valid higher-priority advert from the wire', () => {
    const io = new RecordingIo();
    const runner = new InstanceRunner(settings(), io, log);
    runner.handle({ type: 'startup' }, 0);
    runner.handle({ type: 'timer', timer: 'masterDown' }, 4_000_000);
    expect(runner.state).toBe('MASTER');
    expect(io.calls).toEqual(['add-vips', 'advert 100', 'garp 5']);
    dispatchPacket(packet({ priority: 200 }), RunnersByVrid.of([runner]), new DropCounters(), discards);
    expect(runner.state).toBe('BACKUP');
    expect(io.calls.at(-1)).toBe('remove-vips');
    runner.dispose();
  });

  it('a socket of 255 instances hands each advert to its VRID only; a removed instance gets nothing', () => {
    const index = new RunnersByVrid();
    const runners = Array.from({ length: 255 }, (_, i) => {
      const r = new InstanceRunner(
        { ...settings({ vrid: i + 1, priority: 255 }), name: `VI_${i + 1}` },
        new RecordingIo(),
        log,
      );
      r.handle({ type: 'startup' }, 0);
      r.dispose();
      index.add(r);
      return r;
    });
    const global = new DropCounters();
    dispatchPacket(packet({ priority: 100, vrid: 51 }), index, global, discards);
    dispatchPacket(packet({ priority: 100, vrid: 52, ttl: 1 }), index, global, discards);
    const received = runners.map((r) => r.snapshot.counters.advertsReceived + r.drops.packets);
    expect(received.filter((n) => n > 0)).toHaveLength(2);
    expect([received[50], received[51]]).toEqual([1, 1]);
    expect(runners[51]!.drops.get('ttl')).toBe(1);
    expect(index.delete(runners[50]!)).toBe(true);
    expect(index.delete(runners[50]!)).toBe(false);
    expect(index.size).toBe(254);
    dispatchPacket(packet({ priority: 100, vrid: 51 }), index, global, discards);
    expect(runners[50]!.snapshot.counters.advertsReceived).toBe(1);
    expect(global.get('unknown-vrid')).toBe(1);
  });

  it('counts and drops malformed packets without touching the instance', () => {
    const { runner, io } = masterRunner();
    const global = new DropCounters();
    const before = io.calls.length;
    dispatchPacket(packet({ priority: 200, ttl: 254 }), RunnersByVrid.of([runner]), global, discards);
    dispatchPacket(packet({ priority: 200, pass: 'wrong' }), RunnersByVrid.of([runner]), global, discards);
    dispatchPacket(packet({ priority: 200, vrid: 7 }), RunnersByVrid.of([runner]), global, discards);
    const garbage = { ...packet({ priority: 200 }), data: Buffer.from('45000014000000004011', 'hex') };
    dispatchPacket(garbage, RunnersByVrid.of([runner]), global, discards);
    expect(runner.state).toBe('MASTER');
    expect(io.calls.length).toBe(before);
    expect(runner.drops.toJSON()).toEqual({ 'auth-fail': 1, ttl: 1 });
    expect(global.get('unknown-vrid')).toBe(1);
    expect(global.get('truncated') + global.get('not-ip') + global.get('not-vrrp')).toBe(1);
    expect([runner.drops.packets, global.packets]).toEqual([2, 2]);
  });

  it('counts a packet with several faults once in `packets` and once under each reason', () => {
    const { runner } = masterRunner();
    const global = new DropCounters();
    const p = packet({ priority: 200, ttl: 254 });
    const data = Buffer.from(p.data);
    data[20 + 6]! ^= 0xff; // the VRRP checksum, right after the 20-byte IPv4 header
    dispatchPacket({ ...p, data }, RunnersByVrid.of([runner]), global, discards);
    const reasons = runner.drops.toJSON();
    expect(Object.keys(reasons).length).toBeGreaterThanOrEqual(2);
    expect(Object.values(reasons).every((n) => n === 1)).toBe(true);
    expect(runner.drops.packets).toBe(1);
    runner.dispose();
  });

  it('logs each discard at info with its reason (rate-limited per reason)', () => {
    const lines: Record<string, unknown>[] = [];
    const logged = new DiscardLog(createLogger({ format: 'json', sink: { write: (l) => lines.push(JSON.parse(l)) } }));
    const { runner } = masterRunner();
    for (let i = 0; i < 5; i++)
      dispatchPacket(packet({ priority: 200, ttl: 254 }), RunnersByVrid.of([runner]), new DropCounters(), logged);
    dispatchPacket(packet({ priority: 200, pass: 'wrong' }), RunnersByVrid.of([runner]), new DropCounters(), logged);
    expect(lines.map((l) => [l.level, l.reason, l.instance])).toEqual([
      ['info', 'ttl', 'VI_1'],
      ['info', 'auth-fail', 'VI_1'],
    ]);
    expect(runner.drops.toJSON()).toEqual({ 'auth-fail': 1, ttl: 5 });
  });

  it('never throws on random bytes', () => {
    const { runner } = masterRunner();
    const global = new DropCounters();
    for (let i = 0; i < 2000; i++) {
      const len = (i * 7919) % 80;
      const data = Buffer.from(Array.from({ length: len }, (_, j) => (i * 31 + j * 17) & 0xff));
      if (len > 0) data[0] = 0x45;
      expect(() =>
        dispatchPacket({ ...packet({ priority: 1 }), data }, RunnersByVrid.of([runner]), global, discards),
      ).not.toThrow();
    }
    expect(runner.state).toBe('MASTER');
  });
});
