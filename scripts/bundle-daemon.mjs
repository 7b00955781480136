// Bundles the daemon path (dist/src/cli/daemon-entry.js and everything it imports) into one CommonJS file,
// dist/vrrpd-daemon.cjs, which `vrrpd -n -f FILE` loads instead of ~80 separate ES modules: resolving,
// reading and linking them was most of vrrpd's start-up (see src/cli/daemon-fast-path.ts). CommonJS, with
// the launcher dist/vrrpd.cjs (src/cli/vrrpd.cjs), so that the daemon never starts Node's ES module loader
// (docs/design.md, Memory). Runs after tsc (npm run build / prepare); the ES module CLI's fast path ignores a
// bundle older than tsc's output.
import { chmodSync, copyFileSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/daemon-entry.js'],
  outfile: 'dist/vrrpd-daemon.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The sources are ES modules: import.meta.url (the addon's and package.json's paths are found from it) is
  // this file's URL in the bundle.
  define: { 'import.meta.url': '__vrrpdBundleUrl' },
  banner: { js: `const __vrrpdBundleUrl = require('node:url').pathToFileURL(__filename).href;` },
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

copyFileSync('src/cli/vrrpd.cjs', 'dist/vrrpd.cjs');
chmodSync('dist/vrrpd.cjs', 0o755);
