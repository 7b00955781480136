import { resolve } from 'node:path';
import { VrrpLabError } from '../../src/util/errors.js';
import { ADAPTER_FILE_EXTENSIONS, loadAdapterFile } from './adapter-file.js';
import { BUILT_IN_IMPLS, type BuiltInImpl, isBuiltInImpl } from './built-in-names.js';
import { frrAdapter } from './frr.js';
import { keepalivedAdapter } from './keepalived.js';
import { type LabAdapter, type PartialLabAdapter, toLabAdapter } from './lab-adapter.js';
import type { ImplName } from './types.js';
import { vrrpdAdapter } from './vrrpd.js';

/**
 * Which implementations exist. One way in: resolveAdapter(spec), where spec is a name (a built-in, or
 * one registered with registerAdapter(), or the name of an adapter file loaded earlier in this process)
 * or the path of an adapter file (.yaml/.yml/.json declarative, .mjs/.js module).
 */

export { BUILT_IN_IMPLS, type BuiltInImpl, isBuiltInImpl };

const builtIn: Record<BuiltInImpl, LabAdapter> = {
  vrrpd: vrrpdAdapter,
  keepalived: keepalivedAdapter,
  frr: frrAdapter,
};

/** A built-in adapter, synchronously (topologies may pin a router to a built-in implementation). */
export function builtInAdapter(name: BuiltInImpl): LabAdapter {
  return byName.get(name) ?? builtIn[name];
}

/** Adapters known by name beyond the built-ins: registered ones and adapter files loaded so far. */
const byName = new Map<string, LabAdapter>();
/** Adapter files by absolute path: one adapter object per file per process (adapters may keep state). */
const byFile = new Map<string, Promise<LabAdapter>>();

export interface ResolveOptions {
  /** Directory a relative adapter path is resolved from (default: the current directory). */
  cwd?: string;
}

/** A spec names a file when it has a path separator or an adapter file's extension. */
export function isAdapterPath(spec: string): boolean {
  return spec.includes('/') || ADAPTER_FILE_EXTENSIONS.some((ext) => spec.endsWith(ext));
}

/**
 * Register (or replace) an adapter under `name`, e.g. a test double; it wins over a built-in of the
 * same name. Returns a function that restores what was there before.
 */
export function registerAdapter(name: ImplName, adapter: PartialLabAdapter): () => void {
  const previous = byName.get(name);
  byName.set(name, toLabAdapter(adapter));
  return () => {
    if (previous) byName.set(name, previous);
    else byName.delete(name);
  };
}

/** Every name resolveAdapter() knows right now (built-ins first). */
export function knownAdapters(): ImplName[] {
  return [...new Set<string>([...BUILT_IN_IMPLS, ...byName.keys()])];
}

function unknown(spec: string): VrrpLabError {
  return new VrrpLabError(
    `unknown implementation "${spec}": use ${knownAdapters().join(', ')} or the path of an adapter file ` +
      `(${ADAPTER_FILE_EXTENSIONS.join(', ')})`,
  );
}

async function fromFile(path: string): Promise<LabAdapter> {
  const adapter = await loadAdapterFile(path);
  // Known by its name from now on, so reports, manifests and later lookups can name it.
  const taken = isBuiltInImpl(adapter.name) ? builtIn[adapter.name] : byName.get(adapter.name);
  if (taken && taken.source !== path) {
    const by = taken.source ?? (isBuiltInImpl(adapter.name) ? 'a built-in implementation' : 'a registered adapter');
    throw new VrrpLabError(`${path}: the name "${adapter.name}" is already taken by ${by}; choose another name`);
  }
  byName.set(adapter.name, adapter);
  return adapter;
}

/**
 * The adapter for `spec`: a built-in or registered name, or the path of an adapter file (relative to
 * `opts.cwd`, default the current directory). A bad file throws with FILE:LINE:COL of each problem.
 */
export async function resolveAdapter(spec: string, opts: ResolveOptions = {}): Promise<LabAdapter> {
  const named = byName.get(spec) ?? (isBuiltInImpl(spec) ? builtIn[spec] : undefined);
  if (named) return named;
  if (!isAdapterPath(spec)) throw unknown(spec);
  const path = resolve(opts.cwd ?? process.cwd(), spec);
  let loading = byFile.get(path);
  if (!loading) {
    loading = fromFile(path);
    byFile.set(path, loading);
    // A file that failed to load may be fixed and tried again.
    loading.catch(() => byFile.delete(path));
  }
  return loading;
}
