#!/usr/bin/env node
import { DAEMON_DEFAULTS } from './daemon-args.js';
import { runFastDaemonPath } from './daemon-fast-path.js';

// The plain daemon command line starts without loading the parser below (start-up time: see daemon-fast-path.ts).
await runFastDaemonPath(process.argv.slice(2));
const { Command, Option } = await import('commander');
const { packageVersion } = await import('../util/package-info.js');

/**
 * vrrpd's command line. The daemon flags mirror keepalived's where they make sense (-f, -n, -l, -D, -p, -t),
 * so an existing keepalived unit file or script can call vrrpd unchanged.
 */
const { configFile: DEFAULT_CONFIG, controlSocket: DEFAULT_CONTROL_SOCKET } = DAEMON_DEFAULTS;

const program = new Command('vrrpd')
  .description('VRRPv2/v3 daemon (RFC 3768, RFC 5798, RFC 9568) configured with keepalived.conf')
  .version(packageVersion(), '-v, --version')
  .enablePositionalOptions()
  .option('-f, --use-file <file>', 'configuration file (keepalived.conf syntax)', DEFAULT_CONFIG)
  .option('-t, --config-test', 'check the configuration file and exit (0 valid, 1 errors)')
  .option('-n, --dont-fork', 'stay in the foreground')
  .option('-l, --log-console', 'log to the console (stderr); implied by -n')
  .option('-D, --log-detail', 'detailed (debug) logging')
  .option('-P, --vrrp', 'accepted for keepalived compatibility (vrrpd only does VRRP)')
  .option('-p, --pid <file>', 'pid file', DAEMON_DEFAULTS.pidFile)
  .option('--log-file <file>', 'log file when running in the background', DAEMON_DEFAULTS.logFile)
  .addOption(new Option('--log-format <format>', 'log line format').choices(['text', 'json']).default('text'))
  .option('--control-socket <path>', 'control socket for `vrrpd status`', DEFAULT_CONTROL_SOCKET)
  .option('--supervise', 'run the daemon as a worker under a supervisor that releases its VIPs if it crashes')
  .option('--no-restart', 'with --supervise: do not restart a crashed worker')
  .addOption(new Option('--crash-state <file>', 'set by the supervisor for its worker').hideHelp())
  .option('--metrics-listen <addr:port>', 'serve Prometheus metrics on GET /metrics (e.g. 127.0.0.1:9650)')
  .action(async (opts) => {
    if (opts.supervise && opts.dontFork && !opts.configTest) {
      const { superviseCommand } = await import('../supervisor/supervise-command.js');
      process.exitCode = await superviseCommand({ ...opts, configFile: opts.useFile, pidFile: opts.pid });
      return;
    }
    if (opts.configTest) {
      const { configTestCommand } = await import('./config-test-command.js');
      const r = configTestCommand(opts.useFile);
      process.stderr.write(r.stderr);
      process.exitCode = r.exitCode;
      return;
    }
    const { runDaemonCommand } = await import('./run-command.js');
    process.exitCode = await runDaemonCommand({
      configFile: opts.useFile,
      foreground: Boolean(opts.dontFork),
      logDetail: Boolean(opts.logDetail),
      pidFile: opts.pid,
      logFile: opts.logFile,
      logFormat: opts.logFormat,
      controlSocket: opts.controlSocket,
      crashStateFile: opts.crashState,
      metricsListen: opts.metricsListen,
      argv: process.argv.slice(2),
    });
  });

program
  .command('decode')
  .description('decode a whole IPv4/IPv6 packet carrying VRRP (hex) and print it as JSON')
  .argument('<hex...>', 'packet bytes in hex (spaces and colons allowed)')
  .action(async (hex: string[]) => {
    const { decodeCommand } = await import('./decode-command.js');
    const r = decodeCommand(hex.join(''));
    process.stdout.write(r.stdout.endsWith('\n') ? r.stdout : `${r.stdout}\n`);
    process.exitCode = r.exitCode;
  });

program
  .command('status')
  .description("print the running daemon's instances, priorities, timers and counters")
  .option('--json', 'machine-readable output')
  .option('--control-socket <path>', 'control socket of the daemon', DEFAULT_CONTROL_SOCKET)
  .action(async (opts) => {
    const { statusCommand } = await import('./status-command.js');
    process.exitCode = await statusCommand({ json: Boolean(opts.json), controlSocket: opts.controlSocket });
  });

await program.parseAsync(process.argv);
