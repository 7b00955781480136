import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { configTestCommand } from '../../src/cli/config-test-command.js';
import { memorySource } from '../../src/config/source.js';
import { vrrpdCliPath } from '../adapters/vrrpd.js';
import { configVerdictProblems, mutateConfig, randomConfigOps } from './config-mutate.js';
import { seededRandom } from './random.js';

/**
 * `vrrp-lab fuzz-config`: N mutated keepalived.conf files (config-mutate.ts) through vrrpd's config test
 * in-process, and a sample of them through the real `vrrpd -t` binary. A finding is a crash (a throw, a
 * signal, an exit code other than 0/1) or a line that is not `FILE:LINE:COL: error|warning: message`.
 */
export interface ConfigFuzzResult {
  files: number;
  accepted: number;
  rejected: number;
  binaryChecked: number;
  findings: { seed: number; index: number; source: string; problem: string }[];
}

/** The sample configs: files, or every file under directories (recursively). */
export function readSamples(paths: readonly string[]): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) out.push(...readSamples(readdirSync(p).map((f) => join(p, f))));
    else out.push({ path: p, text: readFileSync(p, 'utf8') });
  }
  return out;
}

export function mutatedConfig(samples: readonly { path: string; text: string }[], seed: number, index: number) {
  const r = seededRandom(seed * 1_000_003 + index);
  const s = samples[Math.floor(r() * samples.length)] as { path: string; text: string };
  return { source: s.path, text: mutateConfig(s.text, randomConfigOps(r)) };
}

export async function fuzzConfigs(o: {
  samples: readonly { path: string; text: string }[];
  files: number;
  seed: number;
  /** How many go through the vrrpd binary as well (spawned: slow). */
  binarySample: number;
}): Promise<ConfigFuzzResult> {
  const res: ConfigFuzzResult = { files: o.files, accepted: 0, rejected: 0, binaryChecked: 0, findings: [] };
  const file = '/etc/keepalived/keepalived.conf';
  const every = Math.max(1, Math.floor(o.files / Math.max(1, o.binarySample)));
  const dir = await mkdtemp(join(tmpdir(), 'vrrpd-config-fuzz-'));
  try {
    for (let i = 0; i < o.files; i++) {
      const m = mutatedConfig(o.samples, o.seed, i);
      const finding = (problem: string) => res.findings.push({ seed: o.seed, index: i, source: m.source, problem });
      try {
        const r = configTestCommand(file, memorySource({ [file]: m.text }));
        if (r.exitCode === 0) res.accepted++;
        else res.rejected++;
        for (const p of configVerdictProblems(r)) finding(p);
      } catch (e) {
        finding(`config test threw: ${(e as Error).stack ?? e}`);
      }
      if (i % every === 0 && res.binaryChecked < o.binarySample) {
        const path = join(dir, 'keepalived.conf');
        await writeFile(path, m.text);
        const r = await execa(process.execPath, [vrrpdCliPath(), '-t', '-f', path], { reject: false });
        res.binaryChecked++;
        if (r.signal) finding(`vrrpd -t killed by ${r.signal}`);
        else
          for (const p of configVerdictProblems({ stderr: r.stderr, exitCode: r.exitCode ?? -1 }))
            finding(`vrrpd -t: ${p}`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return res;
}
