import { getAdapter, isImplName } from '../adapters/registry.js';
import type { ImplementationAdapter } from '../adapters/types.js';

/**
 * The one place the conformance suite turns `--impl NAME|PATH` into an adapter. Today: the built-in names. The
 * registry's file adapters (declarative .yaml/.json and .mjs modules) plug in here when they land.
 */
export async function resolveConformanceAdapter(spec: string): Promise<ImplementationAdapter> {
  if (isImplName(spec)) return getAdapter(spec);
  throw new Error(`unknown implementation "${spec}" (built-in: vrrpd, keepalived, frr)`);
}
