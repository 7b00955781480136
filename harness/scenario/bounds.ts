import { failoverWindowUs, masterDownIntervalUs, skewTimeUs } from '../../src/protocol/timers.js';
import type { VrrpInstanceSettings } from '../topology/vrrp-settings.js';

/**
 * RFC timer bounds (docs/protocol.md §4) in ms for one instance's settings, the numbers scenarios compare
 * measurements with. The interval a Backup uses is the Master's (v3 learns it; v2 requires them equal), so
 * callers pass the settings of the Backup that is expected to take over.
 */
export interface RfcBounds {
  advertIntervalMs: number;
  skewMs: number;
  masterDownMs: number;
  /** Takeover after a silent Master failure, measured from the failure: (lower, upper]. */
  failoverLowerMs: number;
  failoverUpperMs: number;
}

export function intervalCs(s: Pick<VrrpInstanceSettings, 'advertIntervalS'>): number {
  return Math.round(s.advertIntervalS * 100);
}

export function rfcBounds(s: Pick<VrrpInstanceSettings, 'priority' | 'version' | 'advertIntervalS'>): RfcBounds {
  const cs = intervalCs(s);
  const w = failoverWindowUs(s.priority, cs, s.version);
  return {
    advertIntervalMs: cs * 10,
    skewMs: skewTimeUs(s.priority, cs, s.version) / 1000,
    masterDownMs: masterDownIntervalUs(s.priority, cs, s.version) / 1000,
    failoverLowerMs: w.lowerExclusiveUs / 1000,
    failoverUpperMs: w.upperInclusiveUs / 1000,
  };
}
