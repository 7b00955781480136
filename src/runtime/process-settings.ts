import { DEFAULT_RLIMIT_RTTIME_US, type ProcessSettings } from '../config/process-keywords.js';
import {
  lockMemory,
  setCpuAffinity,
  setNice,
  setRealtimePriority,
  setRlimitRttime,
} from '../platform/process-control.js';
import type { Logger } from '../util/logger.js';

/**
 * Applies keepalived's process knobs to vrrpd's own process as keepalived 2.2.7 does for its VRRP process:
 * with vrrp_rt_priority, SCHED_RR and then RLIMIT_RTTIME (soft half of the limit: SIGXCPU is logged as a
 * warning before the hard limit kills), and vrrp_priority (nice) is then not applied; without it, the nice
 * value. Like keepalived, a knob the kernel refuses is logged and the daemon keeps running without it.
 */
export function applyProcessSettings(p: ProcessSettings, log: Logger): void {
  const attempt = (what: string, fn: () => void): void => {
    try {
      fn();
      log.info('process setting applied', { setting: what });
    } catch (e) {
      log.warn('process setting not applied', { setting: what, error: (e as Error).message });
    }
  };
  if (p.rtPriority !== undefined) {
    const rt = p.rtPriority;
    const limit = p.rlimitRttimeUs ?? DEFAULT_RLIMIT_RTTIME_US;
    attempt(`vrrp_rt_priority ${rt}`, () => setRealtimePriority(rt));
    process.on('SIGXCPU', () => log.warn('real-time CPU time approaching vrrp_rlimit_rttime', { limitUs: limit }));
    attempt(`vrrp_rlimit_rttime ${limit}`, () => setRlimitRttime(limit));
  } else if (p.nice !== undefined) {
    const nice = p.nice;
    attempt(`vrrp_priority ${nice}`, () => setNice(nice));
  }
  if (p.noSwap) attempt('vrrp_no_swap', lockMemory);
  if (p.cpuAffinity) {
    const cpus = p.cpuAffinity;
    attempt(`vrrp_cpu_affinity ${cpus.join(' ')}`, () => setCpuAffinity(cpus));
  }
}
