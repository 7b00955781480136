import { describe, expect, it } from 'vitest';
import { check, instance } from './helpers.js';

const withGlobals = (lines: string) => `global_defs {\n${lines}\n}\n${instance('')}`;

describe('global_defs process knobs (vrrp_priority, vrrp_rt_priority, vrrp_rlimit_rttime, vrrp_no_swap, vrrp_cpu_affinity)', () => {
  it('reads them', () => {
    const r = check(
      withGlobals(
        '  vrrp_priority -5\n  vrrp_rt_priority 40\n  vrrp_rlimit_rtime 20000\n  vrrp_no_swap\n  vrrp_cpu_affinity 0 2-3',
      ),
    );
    expect(r.lines).toEqual([]);
    expect(r.config?.globalDefs.process).toEqual({
      nice: -5,
      rtPriority: 40,
      rlimitRttimeUs: 20000,
      noSwap: true,
      cpuAffinity: [0, 2, 3],
    });
  });

  it('none by default', () => {
    expect(check(instance('')).config?.globalDefs.process).toEqual({});
  });

  it('names the line and keyword of a bad value', () => {
    expect(check(withGlobals('  vrrp_priority 20')).errors).toEqual([
      't.conf:2:3: error: vrrp_priority 20 is out of range [-20, 19]',
    ]);
    expect(check(withGlobals('  vrrp_rt_priority 0')).errors).toEqual([
      't.conf:2:3: error: vrrp_rt_priority 0 is out of range [1, 99]',
    ]);
    expect(check(withGlobals('  vrrp_cpu_affinity 3-1')).errors).toEqual([
      "t.conf:2:3: error: vrrp_cpu_affinity '3-1' is not a CPU number or range (0..1023)",
    ]);
    expect(check(withGlobals('  vrrp_cpu_affinity')).errors).toEqual([
      't.conf:2:3: error: vrrp_cpu_affinity needs at least one CPU number',
    ]);
  });
});
