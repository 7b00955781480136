import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ConfigDiagnostic, ConfigError, VrrpLabError } from '../../src/util/errors.js';
import { parseYamlSource, positionOf } from '../topology/yaml-source.js';
import { issuesFromZod } from '../topology/zod-issues.js';
import { declarativeAdapter } from './declarative-adapter.js';
import { declarativeAdapterSchema } from './declarative-schema.js';
import type { LabAdapter } from './lab-adapter.js';
import { moduleAdapter } from './module-adapter.js';

/** Declarative adapter files (data) and adapter modules (code). */
export const DECLARATIVE_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;
export const MODULE_EXTENSIONS = ['.mjs', '.js'] as const;
export const ADAPTER_FILE_EXTENSIONS: readonly string[] = [...DECLARATIVE_EXTENSIONS, ...MODULE_EXTENSIONS];

/** How a path is shown in messages: relative to the current directory when it lies below it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * Parse and validate a declarative adapter (YAML, or JSON which YAML reads too). Every problem becomes a
 * `FILE:LINE:COL: error: PATH: MESSAGE` line of the ConfigError, like a bad topology.
 */
export function parseDeclarativeAdapter(text: string, file: string, source?: string): LabAdapter {
  const src = parseYamlSource(text);
  const diag = (i: { path: string; message: string; line?: number; column?: number }): ConfigDiagnostic => ({
    file,
    line: i.line ?? 1,
    column: i.column ?? 1,
    severity: 'error',
    message: i.path === '(yaml)' ? i.message : `${i.path}: ${i.message}`,
    keyword: i.path,
  });
  if (src.syntaxIssues.length > 0) throw new ConfigError(src.syntaxIssues.map(diag));
  const parsed = declarativeAdapterSchema.safeParse(src.doc.toJS());
  if (!parsed.success) {
    throw new ConfigError(issuesFromZod(parsed.error.issues).map((i) => diag({ ...i, ...positionOf(src, i.path) })));
  }
  return declarativeAdapter(parsed.data, source);
}

/** Load an adapter file by absolute path: declarative by extension, else an ES module. */
export async function loadAdapterFile(path: string): Promise<LabAdapter> {
  const ext = extname(path);
  const shown = displayPath(path);
  if ((DECLARATIVE_EXTENSIONS as readonly string[]).includes(ext)) {
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new VrrpLabError(`${shown}: cannot read adapter file (${err.code ?? err.message})`);
    });
    return parseDeclarativeAdapter(text, shown, path);
  }
  if ((MODULE_EXTENSIONS as readonly string[]).includes(ext)) {
    const mod = (await import(pathToFileURL(path).href).catch((err: Error) => {
      throw new VrrpLabError(`${shown}: cannot load adapter module: ${err.message}`);
    })) as { default?: unknown };
    return moduleAdapter(mod.default, shown, path);
  }
  throw new VrrpLabError(
    `${shown}: an adapter file ends in ${ADAPTER_FILE_EXTENSIONS.join(', ')} (declarative: .yaml, .yml, .json; module: .mjs, .js)`,
  );
}
