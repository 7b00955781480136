import type { Diagnostics } from './diagnostics.js';
import type { Statement } from './tree.js';
import { noArgs, readInt } from './values.js';

/**
 * keepalived's scheduling and memory knobs for the VRRP process (global_defs). vrrpd applies them to its
 * own process once its instances are running (runtime/process-settings.ts).
 */
export interface ProcessSettings {
  /** `vrrp_priority N` (-20..19): the nice value. */
  nice?: number;
  /** `vrrp_rt_priority N` (1..99): SCHED_RR at that real-time priority. */
  rtPriority?: number;
  /** `vrrp_rlimit_rttime µs` (alias `vrrp_rlimit_rtime`): RLIMIT_RTTIME while real-time; keepalived's default 10000. */
  rlimitRttimeUs?: number;
  /** `vrrp_no_swap`: mlockall(MCL_FUTURE), as keepalived does. */
  noSwap?: boolean;
  /** `vrrp_cpu_affinity CPU...` (numbers or ranges a-b): the CPUs the process may run on. */
  cpuAffinity?: number[];
}

/** keepalived's RT_RLIMIT_DEFAULT: applied with vrrp_rt_priority when no vrrp_rlimit_rttime is given. */
export const DEFAULT_RLIMIT_RTTIME_US = 10_000;

const MAX_CPU = 1023;

/** Reads one of the keywords above into `p`; false for any other keyword. */
export function readProcessKeyword(s: Statement, p: ProcessSettings, diags: Diagnostics): boolean {
  switch (s.keyword) {
    case 'vrrp_priority': {
      const v = readInt(s, 0, -20, 19, diags);
      if (v !== undefined) p.nice = v;
      return true;
    }
    case 'vrrp_rt_priority': {
      const v = readInt(s, 0, 1, 99, diags);
      if (v !== undefined) p.rtPriority = v;
      return true;
    }
    case 'vrrp_rlimit_rttime':
    case 'vrrp_rlimit_rtime': {
      const v = readInt(s, 0, 1, 2 ** 31 - 1, diags);
      if (v !== undefined) p.rlimitRttimeUs = v;
      return true;
    }
    case 'vrrp_no_swap':
      noArgs(s, diags);
      p.noSwap = true;
      return true;
    case 'vrrp_cpu_affinity': {
      const cpus = readCpuList(s, diags);
      if (cpus) p.cpuAffinity = cpus;
      return true;
    }
    default:
      return false;
  }
}

function readCpuList(s: Statement, diags: Diagnostics): number[] | undefined {
  if (s.args.length === 0) {
    diags.error(s.pos, `${s.keyword} needs at least one CPU number`, s.keyword);
    return undefined;
  }
  const cpus = new Set<number>();
  for (const a of s.args) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(a.value);
    const from = Number(m?.[1]);
    const to = Number(m?.[2] ?? m?.[1]);
    if (!m || from > to || to > MAX_CPU) {
      diags.error(s.pos, `${s.keyword} '${a.value}' is not a CPU number or range (0..${MAX_CPU})`, s.keyword);
      return undefined;
    }
    for (let c = from; c <= to; c++) cpus.add(c);
  }
  return [...cpus].sort((a, b) => a - b);
}
