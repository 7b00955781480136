/** Public surface of the pure VRRP core (no OS, no timers, no clock). */
export { addressBytes, compareAddresses } from './address-compare.js';
export { repeatOnlyRestartsMasterDown } from './backup.js';
export { currentMasterDownIntervalUs, currentSkewTimeUs, initialSnapshot } from './snapshot.js';
export { step } from './state-machine.js';
export type { SyncGroupEvent, SyncGroupMember } from './sync-group.js';
export { syncFaultSource, syncGroupEvents } from './sync-group.js';
export {
  centisecondsToUs,
  masterDownIntervalUs,
  nextPeriodicDeadlineUs,
  skewTimeUs,
  US_PER_CS,
  US_PER_S,
} from './timer-math.js';
export type {
  Action,
  GarpParams,
  InstanceCounters,
  InstanceEvent,
  InstanceParams,
  InstanceSnapshot,
  StepResult,
  TimerName,
  VrrpState,
} from './types.js';
