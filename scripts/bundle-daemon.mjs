// Bundles the daemon path (dist/src/cli/run-command.js and everything it imports) into one file,
// dist/vrrpd-daemon.mjs, which `vrrpd -n -f FILE` loads instead of ~80 separate ES modules: resolving,
// reading and linking them was most of vrrpd's start-up (see src/cli/daemon-fast-path.ts).
// Runs after tsc (npm run build / prepare); the fast path ignores a bundle older than tsc's output.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/run-command.js'],
  outfile: 'dist/vrrpd-daemon.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Keep names: errors and logs name classes (PlatformError, ...) and stack traces stay readable.
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  // prom-client (and its OpenTelemetry and t-digest dependencies, a third of the bundle) is imported only with
  // --metrics-listen: left out, it is resolved from node_modules then, and the daemon does not parse it at start.
  external: ['prom-client'],
  logLevel: 'warning',
});
