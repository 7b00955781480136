import { globToRegExp, joinPath } from './glob.js';

/**
 * The only door from the config parser to the outside world. The lexer, parser and validator are pure;
 * `loadConfig` reads files and expands `include` globs through this interface so tests can use an
 * in-memory file system.
 */
export interface ConfigSource {
  /** Returns the file's text (UTF-8). Throws when the file cannot be read. */
  read(path: string): string;
  /**
   * Expands a glob pattern (`*`, `?`, `[...]` in any path segment). A relative pattern is resolved against
   * `relativeTo` (a directory). Returns matching file paths, sorted, as absolute or relativeTo-joined paths.
   */
  glob(pattern: string, relativeTo: string): string[];
}

/** An in-memory ConfigSource, for tests and for configs assembled by the harness. Paths are POSIX. */
export function memorySource(files: Record<string, string>): ConfigSource {
  return {
    read(path: string): string {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    glob(pattern: string, relativeTo: string): string[] {
      const full = joinPath(relativeTo, pattern);
      const re = globToRegExp(full);
      return Object.keys(files)
        .filter((p) => re.test(p))
        .sort();
    },
  };
}
