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
  // No keepNames: it wraps every function and class in __name(), which redefines `name` on each closure as it
  // is created (255 instances: ~4,400 closures, 1.1 MiB of property arrays, docs/design.md Memory). Identifiers
  // are not minified, so stack traces keep the source names (a collision may get a numeric suffix); error
  // classes set their `name` explicitly (src/util/errors.ts).
  minifyWhitespace: true,
  minifySyntax: true,
  // prom-client (and its OpenTelemetry and t-digest dependencies, a third of the bundle) is imported only with
  // --metrics-listen: left out, it is resolved from node_modules then, and the daemon does not parse it at start.
  external: ['prom-client'],
  logLevel: 'warning',
});
