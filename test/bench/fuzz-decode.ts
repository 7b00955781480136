import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import {
  decodeIpPacket,
  encodeAdvert,
  encodeIpv4Packet,
  encodeIpv6Packet,
  WIRE_REASONS,
} from '../../src/protocol/index.js';

/**
 * Decoder fuzz benchmark: `runs` fast-check cases, each a random byte string or a valid advert (v2, v3/IPv4, v3/IPv6)
 * with random byte edits and a random cut or extension. Fails (throws) if the decoder ever throws or returns a
 * reason outside its contract. Run directly: `node dist/test/bench/fuzz-decode.js [runs]` (default 100000,
 * or VRRP_FUZZ_RUNS); it prints cases/s.
 */

function seedPackets(): Buffer[] {
  const v4 = { family: 4 as const, src: '10.99.0.11', dst: '224.0.0.18' };
  const v6 = { family: 6 as const, src: 'fe80::11', dst: 'ff02::12' };
  const ip4 = (m: Buffer) => encodeIpv4Packet({ src: v4.src, dst: v4.dst, ttl: 255 }, m);
  const ip6 = (m: Buffer) => encodeIpv6Packet({ src: v6.src, dst: v6.dst, hopLimit: 255 }, m);
  const base = { vrid: 51, priority: 150, advertIntervalCs: 100 };
  return [
    ip4(encodeAdvert({ ...base, version: 2, addresses: ['10.99.0.254'], authPass: 's3cr3t' }, v4)),
    ip4(encodeAdvert({ ...base, version: 3, addresses: ['10.99.0.254', '10.99.0.253'] }, v4)),
    ip6(encodeAdvert({ ...base, version: 3, addresses: ['fe80::254', '2001:db8::254'] }, v6)),
  ];
}

export function decodeInputs(): fc.Arbitrary<Uint8Array> {
  const mutated = fc
    .tuple(
      fc.constantFrom(...seedPackets()),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.integer({ min: -40, max: 40 }),
    )
    .map(([seed, edits, resize]) => {
      const p = Buffer.from(seed);
      for (const [at, value] of edits) p[at % p.length] = value;
      return resize < 0 ? p.subarray(0, Math.max(0, p.length + resize)) : Buffer.concat([p, Buffer.alloc(resize)]);
    });
  return fc.oneof(fc.uint8Array({ maxLength: 120 }), mutated);
}

const FAILURE_REASONS = new Set(['not-ip', 'not-vrrp', 'truncated']);

export async function runFuzzBench(runs: number): Promise<{ runs: number; ms: number }> {
  const started = performance.now();
  // A synchronous property: the decoder is synchronous, and async properties would measure promise overhead.
  fc.assert(
    fc.property(decodeInputs(), (bytes) => {
      const r = decodeIpPacket(bytes);
      return r.ok ? r.value.errors.every((e) => WIRE_REASONS.includes(e)) : FAILURE_REASONS.has(r.reason);
    }),
    { numRuns: runs },
  );
  return { runs, ms: performance.now() - started };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const runs = Number(process.argv[2] ?? process.env.VRRP_FUZZ_RUNS ?? 100_000);
  const { ms } = await runFuzzBench(runs);
  const perSecond = Math.round((runs / ms) * 1000);
  console.log(`fuzz-decode: ${runs} cases in ${ms.toFixed(0)} ms (${perSecond} cases/s)`);
}
