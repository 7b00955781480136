import { loadConfig } from '../config/parse.js';
import type { ConfigSource } from '../config/source.js';
import { formatDiagnostic } from '../util/errors.js';

/**
 * `vrrpd -t -f FILE`: check a configuration without running it. Every diagnostic goes to stderr as
 * `FILE:LINE:COL: error|warning: message`; exit 0 when there are no errors (warnings allowed), else 1.
 * A file that cannot be read is reported as `FILE:0:0: error: cannot read FILE: ...`.
 * (keepalived -t uses several non-zero codes; vrrpd keeps the contract to valid / invalid.)
 */
export function configTestCommand(
  path: string,
  source?: ConfigSource,
  options: { configId?: string } = {},
): { stderr: string; exitCode: 0 | 1 } {
  const result = loadConfig(path, source, options);
  const lines = result.diagnostics.map(formatDiagnostic);
  return {
    stderr: lines.length > 0 ? `${lines.join('\n')}\n` : '',
    exitCode: result.config === undefined ? 1 : 0,
  };
}
