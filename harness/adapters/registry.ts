import { frrAdapter } from './frr.js';
import { keepalivedAdapter } from './keepalived.js';
import type { LabAdapter } from './lab-adapter.js';
import type { ImplementationAdapter, ImplName } from './types.js';
import { vrrpdAdapter } from './vrrpd.js';

/**
 * Which adapters exist. Two ways in:
 * - getAdapter(name): synchronous, always one of the three built-in adapters (with the LabAdapter extras).
 * - loadAdapter(name): asynchronous and overridable with registerAdapter() (e.g. a test double); a
 *   loader that fails makes it return a reason instead of an adapter, and `vrrp-lab up` then builds
 *   the topology without an implementation and says so.
 */

const builtIn: Record<ImplName, LabAdapter> = {
  vrrpd: vrrpdAdapter,
  keepalived: keepalivedAdapter,
  frr: frrAdapter,
};

export const IMPL_NAMES: readonly ImplName[] = ['vrrpd', 'keepalived', 'frr'];
/** Same list as IMPL_NAMES. */
export const adapterNames: readonly ImplName[] = IMPL_NAMES;

export function isImplName(s: string): s is ImplName {
  return (IMPL_NAMES as readonly string[]).includes(s);
}

export function getAdapter(name: ImplName): LabAdapter {
  return builtIn[name];
}

type AdapterLoader = () => Promise<ImplementationAdapter>;

const loaders: Partial<Record<ImplName, AdapterLoader>> = {
  vrrpd: async () => vrrpdAdapter,
  keepalived: async () => keepalivedAdapter,
  frr: async () => frrAdapter,
};

/** Register (or replace) an adapter for loadAdapter() at runtime, e.g. a test double. */
export function registerAdapter(name: ImplName, loader: AdapterLoader): void {
  loaders[name] = loader;
}

export function registeredAdapters(): ImplName[] {
  return IMPL_NAMES.filter((n) => loaders[n] !== undefined);
}

export interface AdapterLookup {
  adapter?: ImplementationAdapter;
  /** Why there is no adapter (not registered, or its module failed to load). */
  reason?: string;
}

export async function loadAdapter(name: ImplName): Promise<AdapterLookup> {
  const loader = loaders[name];
  if (!loader) return { reason: `no adapter registered for ${name} (harness/adapters/registry.ts)` };
  try {
    return { adapter: await loader() };
  } catch (err) {
    return { reason: `adapter ${name} failed to load: ${(err as Error).message}` };
  }
}
