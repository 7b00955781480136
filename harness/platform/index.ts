export {
  childPids,
  isAlive,
  listPids,
  netnsInode,
  type ProcStat,
  pidsInNetns,
  pidsWithEnv,
  readEnvVar,
  readProcStat,
  signal,
} from './procfs.js';
export { ipBatch, netnsArgv, type RunOptions, type RunResult, run, runStatus } from './run.js';
export { type SpawnDetachedOptions, spawnDetached } from './spawn-detached.js';
