import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * packaging/systemd/vrrpd.service and docker/vrrpd.Dockerfile against the build they package: the unit's
 * commands run (with the installed path pointing at this build), systemd parses the unit without a
 * warning, and every file the Dockerfile copies out of its build stage is where the build puts it.
 */
const UNIT = 'packaging/systemd/vrrpd.service';
const VRRPD = resolve('dist/vrrpd.cjs');
let dir: string;
let wrapper: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packaging-'));
  wrapper = join(dir, 'vrrpd');
  await writeFile(wrapper, `#!/bin/sh\nexec node ${VRRPD} "$@"\n`);
  await chmod(wrapper, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The unit's command lines for `key`, with the install path replaced by this build. */
async function commands(key: string): Promise<string[][]> {
  const text = await readFile(UNIT, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) =>
      l
        .slice(key.length + 1)
        .replaceAll('/usr/local/bin/vrrpd', wrapper)
        .split(/\s+/),
    );
}

const withConfig = (argv: string[], conf: string) =>
  argv.map((a) => (a === '/etc/keepalived/keepalived.conf' ? resolve(conf) : a));

describe('systemd unit', () => {
  it.skipIf(!existsSync('/usr/bin/systemd-analyze'))('systemd parses it without a warning', async () => {
    const unit = join(dir, 'vrrpd.service');
    await writeFile(unit, (await readFile(UNIT, 'utf8')).replaceAll('/usr/local/bin/vrrpd', wrapper));
    const r = await execa('systemd-analyze', ['verify', unit], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('ExecStartPre (vrrpd -t) passes a valid keepalived.conf and stops a broken one with FILE:LINE:COL', async () => {
    const [pre] = await commands('ExecStartPre');
    expect(pre).toContain('-t');
    const [cmd, ...args] = pre!;
    const ok = await execa(cmd!, withConfig(args, 'test/fixtures/config/seed.conf'), { reject: false });
    expect(ok.exitCode, ok.stderr).toBe(0);
    const bad = await execa(cmd!, withConfig(args, 'test/fixtures/config/broken/unknown-keyword.conf'), {
      reject: false,
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/unknown-keyword\.conf:\d+:\d+: error/);
  });

  it('reloads with SIGHUP after a config check, runs in the foreground with keepalived.conf', async () => {
    const reload = await commands('ExecReload');
    expect(reload.map((c) => c.join(' '))).toEqual([
      `${wrapper} -t -f /etc/keepalived/keepalived.conf`,
      '/bin/kill -HUP $MAINPID',
    ]);
    const [start] = await commands('ExecStart');
    expect(start).toEqual(expect.arrayContaining(['-n', '-f', '/etc/keepalived/keepalived.conf']));
    // The options the unit passes are ones vrrpd accepts (commander rejects unknown ones).
    const help = await execa(wrapper, ['--help']);
    for (const opt of start!.filter((a) => a.startsWith('-'))) expect(help.stdout).toContain(opt);
  });
});

describe('docker/vrrpd.Dockerfile', () => {
  it('copies out of its build stage exactly the files the build produces, and starts the built CLI', async () => {
    const text = await readFile('docker/vrrpd.Dockerfile', 'utf8');
    const fromBuild = [...text.matchAll(/^COPY --from=build \/src\/(\S+)/gm)].map((m) => m[1]!);
    expect(fromBuild).toEqual(
      expect.arrayContaining(['package.json', 'dist/src', 'build/Release/vrrp_socket.node', 'node_modules']),
    );
    for (const p of fromBuild) expect(existsSync(p), p).toBe(true);
    const sources = [...text.matchAll(/^COPY --chown=node:node (.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    for (const p of sources) expect(existsSync(p), p).toBe(true);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toContain('"/opt/vrrpd/dist/vrrpd.cjs"');
    expect(text).toContain('"/etc/keepalived/keepalived.conf"');
  });
});
