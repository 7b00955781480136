import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureScriptSecurity } from '../../../src/runtime/script-security.js';
import { resolveScriptUser, runScript } from '../../../src/runtime/tracking/script-runner.js';
import { createLogger } from '../../../src/util/logger.js';

/**
 * Scripts as keepalived's enable_script_security runs them, on the real file system as root: a script that
 * would run as root from a directory another user can write is refused (and says why); the same script as
 * the unprivileged script user runs; arguments reach the script as they are, never through a shell.
 */
const base = mkdtempSync(join(tmpdir(), 'vrrpd-scripts-'));
chmodSync(base, 0o755);
const nobody = resolveScriptUser('nobody');
const lines: string[] = [];
const log = createLogger({ format: 'json', sink: { write: (l) => void lines.push(l) } });

function script(dir: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'check.sh');
  writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

describe.skipIf(process.getuid?.() !== 0)('script security and script_user', () => {
  afterEach(() => configureScriptSecurity(false, log));

  it('refuses a root script in a directory another user owns, with a clear message, and never runs it', async () => {
    const dir = join(base, 'user-owned');
    const marker = join(base, 'ran-as-root');
    const path = script(dir, `touch ${marker}`);
    chownSync(dir, nobody.uid, nobody.gid);
    configureScriptSecurity(true, log);
    const r = await runScript(path, { timeoutMs: 5000 });
    expect(r.ok).toBe(false);
    expect(r.refused).toBe(
      `script ${path} refused: it would run as root and ${dir} is owned by uid ${nobody.uid}, not root (enable_script_security)`,
    );
    expect(existsSync(marker)).toBe(false);
    expect(lines.some((l) => l.includes('"level":"error"') && l.includes(`script ${path} refused`))).toBe(true);
  });

  it('runs the same script as the unprivileged script user', async () => {
    const dir = join(base, 'user-owned-2');
    const path = script(dir, `id -un > ${dir}/who`);
    chownSync(dir, nobody.uid, nobody.gid);
    configureScriptSecurity(true, log);
    const r = await runScript(path, { timeoutMs: 5000, user: nobody });
    expect(r.ok).toBe(true);
    expect(readFileSync(join(dir, 'who'), 'utf8').trim()).toBe('nobody');
  });

  it('without enable_script_security it runs but warns', async () => {
    const dir = join(base, 'world-writable');
    const marker = join(dir, 'ran');
    const path = script(dir, `touch ${marker}`);
    chmodSync(dir, 0o777);
    configureScriptSecurity(false, log);
    const r = await runScript(path, { timeoutMs: 5000 });
    expect(r.ok).toBe(true);
    expect(existsSync(marker)).toBe(true);
    expect(lines.some((l) => l.includes('"level":"warn"') && l.includes(`${dir} is writable by everyone`))).toBe(true);
  });

  it('passes arguments as they are: no shell ever interprets them', async () => {
    const dir = join(base, 'args');
    const out = join(dir, 'args');
    const pwned = join(base, 'pwned');
    const path = script(dir, `for a in "$@"; do printf '%s\\n' "$a"; done > ${out}`);
    const hostile = [`$(touch ${pwned})`, `; touch ${pwned}`, '`id`', "it's"];
    const r = await runScript(`${path} 'two words'`, { timeoutMs: 5000, args: hostile });
    expect(r.ok).toBe(true);
    expect(readFileSync(out, 'utf8').split('\n').slice(0, -1)).toEqual(['two words', ...hostile]);
    expect(existsSync(pwned)).toBe(false);
  });
});
