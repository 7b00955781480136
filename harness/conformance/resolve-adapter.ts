import { resolveAdapter } from '../adapters/registry.js';
import type { ImplementationAdapter } from '../adapters/types.js';

/** The one place the conformance suite turns `--impl NAME|PATH` into an adapter (the registry's resolver). */
export async function resolveConformanceAdapter(spec: string): Promise<ImplementationAdapter> {
  return resolveAdapter(spec);
}
