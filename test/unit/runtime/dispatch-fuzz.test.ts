import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReceivedPacket } from '../../../src/platform/vrrp-socket.js';
import { encodeAdvert, encodeIpv4Packet } from '../../../src/protocol/index.js';
import { dispatchPacket, RunnersByVrid } from '../../../src/runtime/advert-dispatch.js';
import { DiscardLog } from '../../../src/runtime/discard-log.js';
import { DropCounters } from '../../../src/runtime/drop-counters.js';
import { InstanceRunner } from '../../../src/runtime/instance-runner.js';
import { createLogger } from '../../../src/util/logger.js';
import { type AdvertCase, advertCase } from '../protocol/arbitraries.js';
import { fuzzRuns, fuzzTimeoutMs } from '../protocol/fuzz-runs.js';
import { RecordingIo, settings } from './helpers.js';

/**
 * "Never throws" with inputs that get past the IP layer: each case is a wire-valid advert (v2, v3/IPv4, v3/IPv6)
 * with exactly one thing broken in the VRRP message or its TTL, delivered to an instance with the advert's own
 * VRID, version, family and addresses, so decodeVrrpMessage and the instance checks (and, for a mutation that
 * leaves the advert valid, the state machine) all run on fuzzed input.
 */

const runs = fuzzRuns();
const discards = new DiscardLog(createLogger({ sink: { write: () => {} } }));
/** Reasons the IP layer gives before the VRRP message is looked at. */
const IP_LAYER = ['not-ip', 'not-vrrp', 'truncated'];

type Mutation =
  | { kind: 'byte'; at: number; xor: number }
  | { kind: 'ttl'; ttl: number }
  | { kind: 'cut'; keep: number }
  | { kind: 'extend'; extra: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('ttl' as const), ttl: fc.integer({ min: 0, max: 254 }) }),
  fc.record({ kind: fc.constant('cut' as const), keep: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 24 }) }),
);

function mutate(message: Buffer, m: Mutation): { message: Buffer; ttl: number } {
  const out = Buffer.from(message);
  switch (m.kind) {
    case 'byte':
      out[m.at % out.length]! ^= m.xor;
      return { message: out, ttl: 255 };
    case 'ttl':
      return { message: out, ttl: m.ttl };
    case 'cut':
      // Keep at least the 8-byte header: shorter messages are refused before any field is read.
      return { message: out.subarray(0, 8 + (m.keep % Math.max(1, out.length - 8))), ttl: 255 };
    case 'extend':
      return { message: Buffer.concat([out, m.extra]), ttl: 255 };
  }
}

/** IPv4: the whole packet with a correct header around the mutated message; IPv6: the payload and its metadata. */
function received(c: AdvertCase, m: Mutation): ReceivedPacket {
  const sent = encodeAdvert(c.advert, { family: c.family, src: c.src, dst: c.dst, checksumForm: c.form });
  const { message, ttl } = mutate(sent, m);
  const data = c.family === 4 ? encodeIpv4Packet({ src: c.src, dst: c.dst, ttl }, message) : message;
  return { data, family: c.family, src: c.src, dst: c.dst, ttl, ifindex: 2, receivedAtUs: 0 };
}

function instanceFor(c: AdvertCase): InstanceRunner {
  const s = settings({ vrid: c.advert.vrid, version: c.advert.version, advertIntervalCs: c.advert.advertIntervalCs });
  const family = c.family;
  const prefix = family === 4 ? 32 : 128;
  const vips = c.advert.addresses.map((address) => ({
    cidr: `${address}/${prefix}`,
    address,
    family,
    dev: 'eth0',
    options: {},
    noTrack: false,
  }));
  const runner = new InstanceRunner(
    { ...s, family, vips, multicastGroup: c.dst, authType: c.advert.version === 2 ? 1 : 0 },
    new RecordingIo(),
    createLogger({ sink: { write: () => {} } }),
  );
  runner.handle({ type: 'startup' }, 0);
  return runner;
}

describe('dispatch never throws on fuzzed adverts that reach the VRRP decoder', () => {
  it(
    'one field broken per wire-valid advert; at most 1 in 10 stops at the IP layer',
    () => {
      let stoppedAtIp = 0;
      let total = 0;
      fc.assert(
        fc.property(advertCase, mutation, (c, m) => {
          const runner = instanceFor(c);
          const global = new DropCounters();
          expect(() => dispatchPacket(received(c, m), RunnersByVrid.of([runner]), global, discards)).not.toThrow();
          runner.dispose();
          total++;
          if (IP_LAYER.some((r) => global.get(r) > 0)) stoppedAtIp++;
        }),
        { numRuns: runs },
      );
      expect(total).toBe(runs);
      expect(stoppedAtIp / total).toBeLessThan(0.1);
    },
    fuzzTimeoutMs(),
  );
});
