import { setPriority } from 'node:os';
import { PlatformError } from '../util/errors.js';
import { native } from './native.js';

/** The addon's scheduling functions (src/platform/native/sched.c). */
interface SchedBinding {
  setRealtime(priority: number): void;
  setRlimitRttime(us: number): void;
  lockMemory(): void;
  setCpuAffinity(cpus: number[]): void;
}

function sched(): SchedBinding {
  return native() as unknown as SchedBinding;
}

/** EPERM here means CAP_SYS_NICE (scheduling, affinity) or CAP_IPC_LOCK / RLIMIT_MEMLOCK (mlockall). */
function wrap(action: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'EUNKNOWN';
    throw new PlatformError(`cannot ${action}: ${(e as Error).message}`, code, { cause: e });
  }
}

/** nice value of the event-loop thread (Linux: setpriority applies per thread). */
export function setNice(nice: number): void {
  wrap(`set the nice value to ${nice}`, () => setPriority(0, nice));
}

/** SCHED_RR at `priority` for the event-loop thread. */
export function setRealtimePriority(priority: number): void {
  wrap(`set SCHED_RR priority ${priority}`, () => sched().setRealtime(priority));
}

export function setRlimitRttime(us: number): void {
  wrap(`set RLIMIT_RTTIME to ${us} µs`, () => sched().setRlimitRttime(us));
}

/** mlockall(MCL_FUTURE) and a locked, resident reserve (native/sched.c). */
export function lockMemory(): void {
  wrap('lock memory (mlockall)', () => sched().lockMemory());
}

/** Every thread of the process onto `cpus`. */
export function setCpuAffinity(cpus: number[]): void {
  wrap(`set the CPU affinity to ${cpus.join(',')}`, () => sched().setCpuAffinity(cpus));
}
