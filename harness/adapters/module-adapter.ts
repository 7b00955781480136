import { VrrpLabError } from '../../src/util/errors.js';
import { isSetting } from './capabilities.js';
import { type LabAdapter, type PartialLabAdapter, toLabAdapter } from './lab-adapter.js';

/** Methods an adapter module's default export must have (ImplementationAdapter). */
const REQUIRED = ['unsupported', 'render', 'start', 'stop', 'kill', 'freeze', 'thaw', 'state'] as const;
const OPTIONAL = ['differences', 'cleanupStale', 'holderInterface'] as const;

/**
 * Check the default export of an adapter module (.mjs/.js) before the harness relies on it: a missing
 * method would otherwise surface as "x is not a function" in the middle of a scenario.
 */
export function moduleAdapter(exported: unknown, file: string, source?: string): LabAdapter {
  if (typeof exported !== 'object' || exported === null) {
    throw new VrrpLabError(
      `${file}: the default export must be an adapter object (see harness/adapters/public-types.ts)`,
    );
  }
  const a = exported as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof a.name !== 'string' || a.name === '') problems.push('name: a non-empty string');
  for (const m of REQUIRED) if (typeof a[m] !== 'function') problems.push(`${m}: a function`);
  for (const m of OPTIONAL) if (a[m] !== undefined && typeof a[m] !== 'function') problems.push(`${m}: a function`);
  const us = a.unsupportedSettings;
  if (us !== undefined && !(Array.isArray(us) && us.every((s) => typeof s === 'string' && isSetting(s)))) {
    problems.push('unsupportedSettings: a list of settings (harness/adapters/capabilities.ts)');
  }
  if (problems.length > 0) {
    throw new VrrpLabError(`${file}: the default export is not an adapter; it needs ${problems.join(', ')}`);
  }
  return toLabAdapter(exported as PartialLabAdapter, source);
}
