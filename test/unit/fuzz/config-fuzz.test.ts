import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyConfigOp,
  type ConfigOp,
  configVerdictProblems,
  INSERTS,
  mutateConfig,
  NUMBERS,
} from '../../../harness/fuzz/config-mutate.js';
import { configTestCommand } from '../../../src/cli/config-test-command.js';
import { memorySource } from '../../../src/config/source.js';

const FIX = 'test/fixtures/config';
const samples = [
  `${FIX}/seed.conf`,
  ...readdirSync(`${FIX}/debian-samples`).map((f) => join(FIX, 'debian-samples', f)),
].map((path) => ({ path, text: readFileSync(path, 'utf8') }));

const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const op: fc.Arbitrary<ConfigOp> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete-token', 'duplicate-line', 'delete-line', 'truncate'), at: frac }),
  fc.record({ kind: fc.constant('swap-lines'), at: frac, to: frac }),
  fc.record({ kind: fc.constant('insert'), at: frac, text: fc.nat(INSERTS.length - 1) }),
  fc.record({ kind: fc.constant('replace-number'), at: frac, value: fc.nat(NUMBERS.length - 1) }),
) as fc.Arbitrary<ConfigOp>;

describe('config fuzzing: vrrpd -t on mutated keepalived.conf files (in-process)', () => {
  it('10^4 mutated samples: never throws; every line is FILE:LINE:COL: error|warning:, a rejection names an error', () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.array(op, { minLength: 1, maxLength: 4 }), (i, ops) => {
        const s = samples[i]!;
        const text = mutateConfig(s.text, ops);
        const r = configTestCommand(
          '/etc/keepalived/keepalived.conf',
          memorySource({ '/etc/keepalived/keepalived.conf': text }),
        );
        if (r.exitCode === 1) rejected++;
        expect(configVerdictProblems(r), `${s.path} with ${JSON.stringify(ops)}`).toEqual([]);
      }),
      { numRuns: 10_000 },
    );
    // The mutations are hostile enough that most files are rejected, and some survive.
    expect(rejected).toBeGreaterThan(3000);
    expect(rejected).toBeLessThan(10_000);
  }, 300_000);

  it('the ops do what they say', () => {
    const t = 'a 1\nb 2\nc 3\n';
    expect(applyConfigOp(t, { kind: 'delete-line', at: 0.4 })).toBe('a 1\nc 3\n');
    expect(applyConfigOp(t, { kind: 'duplicate-line', at: 0 })).toBe('a 1\na 1\nb 2\nc 3\n');
    expect(applyConfigOp(t, { kind: 'replace-number', at: 0.99, value: 2 })).toBe('a 1\nb 2\nc 256\n');
    expect(applyConfigOp(t, { kind: 'truncate', at: 0.5 })).toBe('a 1\nb ');
    expect(configVerdictProblems({ stderr: 'x.conf:3:1: error: boom\n', exitCode: 1 })).toEqual([]);
    expect(configVerdictProblems({ stderr: 'TypeError: boom\n', exitCode: 1 })).toHaveLength(2);
  });
});
