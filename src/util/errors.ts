/**
 * Typed errors shared by the daemon and the harness. Every error carries the context a person
 * needs to act on it without re-running anything (command, namespace, exit code, stderr, file position).
 */

export class VrrpLabError extends Error {
  override readonly name: string = 'VrrpLabError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A privileged command (ip, tc, nft, tcpdump, ...) failed. */
export class CommandError extends VrrpLabError {
  override readonly name = 'CommandError';
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
    readonly namespace?: string,
    options?: { cause?: unknown },
  ) {
    const where = namespace ? ` in netns ${namespace}` : '';
    const code = exitCode === undefined ? 'did not run' : `exit ${exitCode}`;
    super(`${command} ${args.join(' ')}${where}: ${code}: ${stderr.trim() || '(no stderr)'}`, options);
  }
}

/** One problem in a configuration file, with its position. */
export interface ConfigDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
  keyword?: string;
}

export function formatDiagnostic(d: ConfigDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/** A configuration file has errors; `diagnostics` holds every error and warning found. */
export class ConfigError extends VrrpLabError {
  override readonly name = 'ConfigError';
  constructor(readonly diagnostics: readonly ConfigDiagnostic[]) {
    super(
      diagnostics
        .filter((d) => d.severity === 'error')
        .map(formatDiagnostic)
        .join('\n') || 'invalid configuration',
    );
  }
}

/** Something the OS refused: missing interface, no CAP_NET_RAW, address in use. One line, actionable. */
export class PlatformError extends VrrpLabError {
  override readonly name = 'PlatformError';
  constructor(
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A wait on a condition ran out of time; carries the last observed value. */
export class TimeoutError extends VrrpLabError {
  override readonly name = 'TimeoutError';
  constructor(
    readonly description: string,
    readonly timeoutMs: number,
    readonly lastObserved?: unknown,
  ) {
    super(
      `timed out after ${timeoutMs} ms waiting for ${description}` +
        (lastObserved === undefined ? '' : `; last observed: ${JSON.stringify(lastObserved)}`),
    );
  }
}
