import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  linkSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import { startControlServer } from '../../../src/runtime/control-server.js';
import { openFifoNoFollow, writeFileNoFollow } from '../../../src/util/safe-files.js';

/**
 * The daemon's files against another local user: the control socket is root-only and says so to a non-root
 * client; pid, state and dump files are replaced, never written through a planted symlink or hard link;
 * notify_fifo must be a real FIFO, not a symlink or a regular file.
 */
const dir = mkdtempSync(join(tmpdir(), 'vrrpd-sec-'));
chmodSync(dir, 0o1777); // sticky and world-writable, like /tmp: where another user can plant things
const asNobody = (cmd: string, args: string[]) =>
  execa('setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', cmd, ...args], { reject: false });

describe.skipIf(process.getuid?.() !== 0)('control socket and daemon files', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  // The non-root client must be able to read vrrpd itself: a checkout under a 0700 directory (mktemp -d) is not.
  const nobodyCanRunVrrpd =
    execaSync('setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', 'test', '-r', vrrpdCliPath()], {
      reject: false,
    }).exitCode === 0;

  it.skipIf(!nobodyCanRunVrrpd)(
    'the control socket is mode 0600 and a non-root `vrrpd status` gets a clear error',
    async () => {
      const path = join(dir, 'vrrpd.sock');
      server = startControlServer(path, { status: () => ({ instances: [], drops: {}, dropped: 0 }) }, () => {});
      await new Promise((resolve) => server?.once('listening', resolve));
      const st = statSync(path);
      expect([st.isSocket(), st.mode & 0o777, st.uid]).toEqual([true, 0o600, 0]);
      const r = await asNobody(process.execPath, [vrrpdCliPath(), 'status', '--control-socket', path]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(
        /permission denied on the control socket .*root-only \(mode 0600\); run vrrpd status as root/,
      );
      const root = await execa(process.execPath, [vrrpdCliPath(), 'status', '--json', '--control-socket', path]);
      expect(JSON.parse(root.stdout)).toMatchObject({ dropped: 0 });
    },
  );

  it('a pid/state/dump file is replaced, not written through a symlink another user planted', async () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    const pid = join(dir, 'vrrpd.pid');
    expect((await asNobody('ln', ['-s', victim, pid])).exitCode).toBe(0);
    writeFileNoFollow(pid, '123\n');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(pid).isSymbolicLink()).toBe(false);
    expect(readFileSync(pid, 'utf8')).toBe('123\n');
  });

  it('... nor through a hard link', () => {
    const victim = join(dir, 'victim2');
    writeFileSync(victim, 'precious\n');
    const dump = join(dir, 'vrrpd.data');
    linkSync(victim, dump);
    writeFileNoFollow(dump, 'status\n');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(dump, 'utf8')).toBe('status\n');
  });

  it('notify_fifo: a real FIFO opens; a symlink to one or a regular file is refused', () => {
    const fifo = join(dir, 'notify.fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const fd = openFifoNoFollow(fifo);
    expect(fd).toBeGreaterThan(0);
    closeSync(fd);
    const link = join(dir, 'planted.fifo');
    symlinkSync(fifo, link);
    expect(() => openFifoNoFollow(link)).toThrow(/ELOOP/);
    const plain = join(dir, 'plain');
    writeFileSync(plain, '');
    expect(() => openFifoNoFollow(plain)).toThrow(/not a FIFO/);
  });
});
