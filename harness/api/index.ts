/**
 * The package entry point, `import { VrrpLab } from 'vrrp-lab'`: the lab builder, the scenario API the
 * built-in scenarios are written with (and custom drill files import), topologies, and the runner.
 * The vitest matchers are `import 'vrrp-lab/vitest'`.
 */

export type { ImplName } from '../adapters/types.js';
export {
  checkConvergence,
  checkFailover,
  checkGracefulTakeover,
  checkSingleHolder,
  convergenceTime,
  countTransitions,
  firstMultiHolder,
  holderWindows,
  type ResolvedTransient,
  takeoverTime,
} from '../scenario/assertions.js';
export { type RfcBounds, rfcBounds } from '../scenario/bounds.js';
export { type CheckResult, check, combine, type Measurements, ms } from '../scenario/check.js';
export { checkAllGarps, checkGarps } from '../scenario/garp-check.js';
export type { HostHandle } from '../scenario/host-handle.js';
export { DEFAULT_TOLERANCE_MS, type RunOptions, runScenario } from '../scenario/run-scenario.js';
export {
  byPriority,
  FAST_THREE_HOSTS,
  generousMs,
  nth,
  observe,
  STARTUP_RACE,
  startAll,
  startAndConverge,
} from '../scenario/steps.js';
export type { ScenarioTimeline } from '../scenario/timeline.js';
export type { TopologyOverrides, TopologySource } from '../scenario/topology-source.js';
export type {
  AllowedTransient,
  AssertionContext,
  BackendName,
  FaultInjector,
  Scenario,
  ScenarioContext,
  ScenarioResult,
  ScenarioStep,
} from '../scenario/types.js';
export {
  defineTopology,
  parseTopology,
  type Topology,
  TopologyError,
  type TopologyInput,
} from '../topology/index.js';
export { LabUnavailableError, StartedVrrpLab, type TopologyArg, VrrpLab } from './vrrp-lab.js';
