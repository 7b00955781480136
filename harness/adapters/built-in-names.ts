/** The implementations vrrp-lab ships adapters for (any other comes from an adapter file). */
export const BUILT_IN_IMPLS = ['vrrpd', 'keepalived', 'frr'] as const;
export type BuiltInImpl = (typeof BUILT_IN_IMPLS)[number];

export function isBuiltInImpl(s: string): s is BuiltInImpl {
  return (BUILT_IN_IMPLS as readonly string[]).includes(s);
}
