/**
 * What the daemon bundle (dist/vrrpd-daemon.cjs, scripts/bundle-daemon.mjs) exports: the daemon's own flags
 * reader and the daemon. The `vrrpd` launcher (src/cli/vrrpd.cjs) and the ES module CLI's fast path both load it.
 */
export { daemonArgs } from './daemon-args.js';
export { runDaemonCommand } from './run-command.js';
