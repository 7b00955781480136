/** The Initialize-state snapshot of an instance, and the parameter checks that keep step() total. */
import { masterDownIntervalUs, skewTimeUs } from './timer-math.js';
import type { InstanceParams, InstanceSnapshot } from './types.js';

/**
 * Throws RangeError on parameters the state machine cannot run with. The config layer reports user errors
 * with positions; this is the last line of defence so that step() itself never has to throw.
 */
export function initialSnapshot(params: InstanceParams): InstanceSnapshot {
  checkParams(params);
  return {
    params,
    state: 'INIT',
    effectivePriority: params.priority,
    masterAdverIntervalCs: params.advertIntervalCs,
    masterAddress: null,
    masterPriority: null,
    timers: {},
    faultSources: [],
    preemptHoldUntilUs: null,
    vipsInstalled: false,
    lastTransitionUs: null,
    counters: {
      transitions: 0,
      becameMaster: 0,
      releasedMaster: 0,
      advertsSent: 0,
      advertsReceived: 0,
      priZeroSent: 0,
      priZeroReceived: 0,
    },
  };
}

/** Current Skew_Time of a snapshot, for display (keepalived JSON / FRR skewTime). */
export function currentSkewTimeUs(s: InstanceSnapshot): number {
  return skewTimeUs(s.params.version, s.effectivePriority, s.masterAdverIntervalCs);
}

/** Current Master_Down_Interval of a snapshot, for display. */
export function currentMasterDownIntervalUs(s: InstanceSnapshot): number {
  return masterDownIntervalUs(
    s.params.version,
    s.effectivePriority,
    s.masterAdverIntervalCs,
    s.params.downTimerAdverts,
  );
}

function checkParams(p: InstanceParams): void {
  const fail = (what: string): never => {
    throw new RangeError(`VRRP instance ${p.name}: ${what}`);
  };
  const isInt = (n: number, lo: number, hi: number) => Number.isInteger(n) && n >= lo && n <= hi;
  if (!isInt(p.vrid, 1, 255)) fail(`vrid ${p.vrid} is not in 1..255`);
  if (!isInt(p.priority, 1, 255)) fail(`priority ${p.priority} is not in 1..255`);
  if (p.version === 3 && !isInt(p.advertIntervalCs, 1, 4095)) {
    fail(`VRRPv3 advert interval ${p.advertIntervalCs} cs is not in 1..4095 (RFC 5798 §5.2.7)`);
  }
  if (p.version === 2 && !(isInt(p.advertIntervalCs, 100, 25500) && p.advertIntervalCs % 100 === 0)) {
    fail(`VRRPv2 advert interval ${p.advertIntervalCs} cs is not a whole number of seconds 1..255 (RFC 3768 §5.3.7)`);
  }
  if (!isInt(p.downTimerAdverts, 1, 100)) fail(`down_timer_adverts ${p.downTimerAdverts} is not in 1..100`);
  const g = p.garp;
  const durations = { preemptDelayUs: p.preemptDelayUs, ...g };
  for (const [key, value] of Object.entries(durations)) {
    if (!Number.isSafeInteger(value) || value < 0) fail(`${key} ${value} is not a non-negative integer`);
  }
}
