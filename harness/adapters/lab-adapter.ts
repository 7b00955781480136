import type { AdapterHost, ImplementationAdapter } from './types.js';

/**
 * What every adapter in this directory offers beyond the ImplementationAdapter contract.
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
   * leave their VIPs configured (lab-notes gotcha 2), FRR leaves its macvlans (maybe protodown off).
   */
  cleanupStale(host: AdapterHost): Promise<void>;
}
