import { register } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VrrpLabError } from '../../src/util/errors.js';
import type { Scenario } from './types.js';

/** The names a drill file may import this package by, mapped by package-hooks.ts. */
export const PACKAGE_NAMES = ['vrrp-lab', 'vrrp-lab/vitest'] as const;

let registered = false;

/** Install the resolve hook once per process (before the first drill file is imported). */
export function registerPackageResolution(): void {
  if (registered) return;
  registered = true;
  // Resolved from here, inside the package: its "exports" give the built entry points.
  const names = Object.fromEntries(PACKAGE_NAMES.map((n) => [n, import.meta.resolve(n)]));
  register(new URL('./package-hooks.js', import.meta.url), { data: { names } });
}

/** `vrrp-lab drill ./my-drill.mjs`: an argument that names a file rather than a built-in scenario. */
export function isScenarioFile(arg: string): boolean {
  return /\.(mjs|js)$/.test(arg) || arg.includes('/');
}

function invalid(file: string, what: string): VrrpLabError {
  return new VrrpLabError(`${file}: ${what} (a drill file exports default a scenario or an array of them)`);
}

function validate(file: string, s: unknown, i: number): Scenario {
  const where = `scenario ${i}`;
  if (typeof s !== 'object' || s === null) throw invalid(file, `${where} is not an object`);
  const o = s as Partial<Scenario>;
  if (typeof o.name !== 'string' || o.name === '') throw invalid(file, `${where} has no name`);
  const named = `scenario "${o.name}"`;
  if (typeof o.topology !== 'object' || o.topology === null) throw invalid(file, `${named} has no topology`);
  if (!Array.isArray(o.steps)) throw invalid(file, `${named} has no steps array`);
  o.steps.forEach((st, j) => {
    if (typeof st?.name !== 'string' || typeof st.run !== 'function')
      throw invalid(file, `${named} step ${j} needs a name and a run(ctx) function`);
  });
  if (typeof o.assertions !== 'function') throw invalid(file, `${named} has no assertions(ctx) function`);
  return { description: '', ...o } as Scenario;
}

/** A relative topology path in a drill file is relative to the file, not to where vrrp-lab runs. */
function anchorTopology(file: string, s: Scenario): Scenario {
  const t = s.topology;
  if (!('file' in t) || isAbsolute(t.file) || !t.file.startsWith('.')) return s;
  return { ...s, topology: { ...t, file: resolve(dirname(file), t.file) } };
}

/**
 * Import a user's drill file (any folder; it imports the scenario API as `vrrp-lab`) and return its
 * scenarios, checked for shape so a mistake names the file instead of failing inside the runner.
 */
export async function loadScenarioFile(path: string): Promise<Scenario[]> {
  const file = resolve(path);
  registerPackageResolution();
  let mod: { default?: unknown; scenarios?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as typeof mod;
  } catch (err) {
    throw new VrrpLabError(`${path}: cannot load the drill file: ${(err as Error).message}`, { cause: err });
  }
  const exported = mod.default ?? mod.scenarios;
  if (exported === undefined) throw invalid(path, 'nothing exported');
  const list = Array.isArray(exported) ? exported : [exported];
  return list.map((s, i) => anchorTopology(file, validate(path, s, i)));
}
