#!/usr/bin/env node
// The `vrrpd` command (package.json bin; copied to dist/ by scripts/bundle-daemon.mjs).
//
// CommonJS on purpose: the daemon command line (`vrrpd -n -f FILE ...`) runs from the CommonJS bundle next to
// this file, so Node never starts its ES module loader, which alone costs ~3 MiB of resident memory and part
// of the start-up (docs/design.md, Memory). Any other command line goes to the full CLI, an ES module.
'use strict';
const { daemonArgs, runDaemonCommand } = require('./vrrpd-daemon.cjs');

const options = daemonArgs(process.argv.slice(2));
if (options) {
  runDaemonCommand(options).then((code) => process.exit(code));
} else {
  import('./src/cli/vrrpd.js');
}
