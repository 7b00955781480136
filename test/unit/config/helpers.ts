import { parseConfigText } from '../../../src/config/parse.js';
import { formatDiagnostic } from '../../../src/util/errors.js';

/** Parses text as `t.conf` and returns the formatted diagnostics and the config. */
export function check(text: string, options: { configId?: string } = {}) {
  const result = parseConfigText(text, 't.conf', options);
  return {
    config: result.config,
    lines: result.diagnostics.map(formatDiagnostic),
    errors: result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
    warnings: result.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic),
    diagnostics: result.diagnostics,
  };
}

/** A minimal valid instance with `extra` lines inserted after virtual_router_id (line 4 onwards). */
export function instance(extra: string, vips = '10.0.0.100/24'): string {
  return `vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
${extra}
    virtual_ipaddress {
        ${vips}
    }
}
`;
}
