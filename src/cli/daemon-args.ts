import type { RunOptions } from './run-command.js';

/**
 * The daemon's own flags, read without the CLI parser so that `vrrpd -n -f FILE ...` (the way a unit file
 * or the harness starts it) does not load commander. Anything else — a subcommand, -t, --help, --version,
 * a flag this reader does not know — returns undefined and goes through the full parser in vrrpd.ts,
 * which stays the one definition of the command line (defaults here must match it).
 */
export const DAEMON_DEFAULTS = {
  configFile: '/etc/keepalived/keepalived.conf',
  pidFile: '/run/vrrpd/vrrpd.pid',
  logFile: '/var/log/vrrpd.log',
  controlSocket: '/run/vrrpd/vrrpd.sock',
} as const;

const BOOLEAN_SHORT: Record<string, 'n' | 'l' | 'D' | 'P'> = { n: 'n', l: 'l', D: 'D', P: 'P' };
const BOOLEAN_LONG: Record<string, 'n' | 'l' | 'D' | 'P'> = {
  '--dont-fork': 'n',
  '--log-console': 'l',
  '--log-detail': 'D',
  '--vrrp': 'P',
};
type ValueKey = 'configFile' | 'pidFile' | 'logFile' | 'logFormat' | 'controlSocket';
const VALUE_FLAGS: Record<string, ValueKey> = {
  '-f': 'configFile',
  '--use-file': 'configFile',
  '-p': 'pidFile',
  '--pid': 'pidFile',
  '--log-file': 'logFile',
  '--log-format': 'logFormat',
  '--control-socket': 'controlSocket',
};

export function daemonArgs(argv: readonly string[]): RunOptions | undefined {
  const flags = new Set<string>();
  const values: Partial<Record<ValueKey, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const valueKey = VALUE_FLAGS[name];
    if (valueKey) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('-'))) return undefined;
      values[valueKey] = value;
      continue;
    }
    const long = BOOLEAN_LONG[arg];
    if (long) {
      flags.add(long);
      continue;
    }
    // Grouped short booleans (-nlD), as commander accepts them.
    if (/^-[A-Za-z]+$/.test(arg) && [...arg.slice(1)].every((c) => BOOLEAN_SHORT[c])) {
      for (const c of arg.slice(1)) flags.add(c);
      continue;
    }
    return undefined;
  }
  const logFormat = values.logFormat ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') return undefined;
  return {
    configFile: values.configFile ?? DAEMON_DEFAULTS.configFile,
    foreground: flags.has('n'),
    logDetail: flags.has('D'),
    pidFile: values.pidFile ?? DAEMON_DEFAULTS.pidFile,
    logFile: values.logFile ?? DAEMON_DEFAULTS.logFile,
    logFormat,
    controlSocket: values.controlSocket ?? DAEMON_DEFAULTS.controlSocket,
    argv: [...argv],
  };
}
