import { cleanupStaleVips } from './stale-vips.js';
import type { AdapterHost, ImplementationAdapter } from './types.js';

/**
 * What every adapter the harness runs offers beyond the ImplementationAdapter contract.
 * (types.ts belongs to the integrator; these extras may be folded into it later.)
 */
export interface LabAdapter extends ImplementationAdapter {
  /**
   * Settings the implementation runs but with a different behaviour than the neutral settings describe
   * (e.g. FRR always sends exactly 1 GARP). Unlike unsupported(), these do not prevent a run;
   * a report should show them next to the results.
   */
  differences(host: AdapterHost): string[];
  /**
   * Remove what a crashed (kill()ed) implementation left live in the data plane: keepalived and vrrpd
   * leave their VIPs configured (docs/quirks.md Q2), FRR leaves its macvlans (maybe protodown off).
   */
  cleanupStale(host: AdapterHost): Promise<void>;
  /**
   * Absolute path of the adapter file this adapter was loaded from (undefined for a built-in or a
   * registered one): recorded in a run's manifest so another process (`vrrp-lab down`) can load it again.
   */
  readonly source?: string;
  /** Programs it runs, checked before a drill (a missing one skips its scenarios with the reason). */
  readonly programs?: readonly string[];
}

/** An adapter whose LabAdapter extras are optional (what an adapter module may export). */
export type PartialLabAdapter = ImplementationAdapter & Partial<Pick<LabAdapter, 'differences' | 'cleanupStale'>>;

/**
 * Fill in the LabAdapter extras an adapter left out: no known differences, and after a crash the
 * VIPs left on the VRRP interface are removed (what a killed keepalived-like daemon leaves behind).
 */
export function toLabAdapter(a: PartialLabAdapter, source?: string): LabAdapter {
  if (a.differences && a.cleanupStale && source === undefined) return a as LabAdapter;
  const differences = a.differences?.bind(a) ?? (() => []);
  const cleanupStale = a.cleanupStale?.bind(a) ?? ((h: AdapterHost) => cleanupStaleVips(h).then(() => undefined));
  // Object.create keeps the adapter's own methods and `this` (a class instance works as well as a literal).
  return Object.assign(Object.create(a) as LabAdapter, {
    differences,
    cleanupStale,
    ...(source === undefined ? {} : { source }),
  });
}
