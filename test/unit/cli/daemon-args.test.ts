import { describe, expect, it } from 'vitest';
import { DAEMON_DEFAULTS, daemonArgs } from '../../../src/cli/daemon-args.js';

describe('daemonArgs (the daemon command line read without the CLI parser)', () => {
  it('reads the flags the harness and unit files pass', () => {
    const argv = ['-f', '/x.conf', '-n', '-l', '--log-format', 'json', '-p', '/x.pid', '--control-socket', '/x.sock'];
    expect(daemonArgs(argv)).toEqual({
      configFile: '/x.conf',
      foreground: true,
      logDetail: false,
      pidFile: '/x.pid',
      logFile: DAEMON_DEFAULTS.logFile,
      logFormat: 'json',
      controlSocket: '/x.sock',
      argv,
    });
  });

  it('accepts grouped short flags and --name=value', () => {
    const o = daemonArgs(['-nlD', '--use-file=/a.conf', '--log-file=/l']);
    expect(o).toMatchObject({ configFile: '/a.conf', foreground: true, logDetail: true, logFile: '/l' });
  });

  it('defaults like the full parser', () => {
    expect(daemonArgs([])).toMatchObject({ ...DAEMON_DEFAULTS, foreground: false, logFormat: 'text' });
  });

  it('leaves everything else to the full parser', () => {
    for (const argv of [
      ['-t', '-f', '/x'],
      ['status', '--json'],
      ['decode', 'ab'],
      ['--help'],
      ['-v'],
      ['-n', '--metrics-listen', ':9100'],
      ['-nx'],
      ['-f'],
      ['-f', '-n'],
      ['--log-format', 'xml'],
    ]) {
      expect(daemonArgs(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
