/** The harness's public entry point: topology data, the netns lab, runs and waiting. */

export type {
  CrashOptions,
  FlapImpairment,
  FlapOptions,
  Impairment,
  Impairments,
  LinkSide,
  NetemOptions,
} from '../backends/netns/impairments/index.js';
export { type DestroyOptions, Lab, type LabOptions } from '../backends/netns/lab.js';
export { LabHost } from '../backends/netns/lab-host.js';
export { type Manifest, readManifest } from '../backends/netns/manifest.js';
export { hostNetns, isRunId, newRunId, RUN_ENV, switchNetns } from '../backends/netns/names.js';
export { NginxHandle, nginxCheckCommand } from '../backends/netns/nginx.js';
export { defaultRunsDir } from '../backends/netns/run-dir.js';
export { cleanDeadRuns, isRunAlive, listRuns, type RunInfo } from '../backends/netns/runs.js';
export type { DropCounters } from '../backends/netns/switch-filter.js';
export {
  defineTopology,
  generateStarTopology,
  loadTopologyFile,
  parseTopology,
  parseTopologyYaml,
  type Topology,
  TopologyError,
  type TopologyHost,
  type TopologyInput,
  type TopologyLink,
  type TopologySwitch,
} from '../topology/index.js';
export { type WaitForOptions, waitFor } from './wait-for.js';
