import { describe, expect, it } from 'vitest';
import '../../matchers/index.js';
import {
  convergenceIpv6,
  failoverIpv6,
  garpIpv6,
  gracefulShutdownIpv6,
  nopreemptIpv6,
  preemptIpv6,
} from '../../../scenarios/ipv6.js';
import { isRoot, mark, run } from './run.js';

// three-hosts (r1/r2/r3 at 150/100/50), VRRPv3 0.2 s, VIP fd00:99::254; nopreempt on dual-stack-pair (fd00:99::16).
const VIP = 'fd00:99::254';

describe.skipIf(!isRoot)('scenarios: IPv6 variants on dual-stack topologies (netns)', () => {
  it('convergence-ipv6: r1 alone holds the IPv6 VIP within the bound', async (ctx) => {
    const r = await run(convergenceIpv6, ctx);
    expect(r.failures).toEqual([]);
    expect(r.timeline.adverts.some((a) => a.srcIp.startsWith('fe80:') && a.host === 'r1')).toBe(true);
    expect(r.timeline).toConvergeWithin(Number(r.measurements['convergence.boundMs']), {
      host: 'r1',
      vip: VIP,
      fromMs: mark(r, 'start'),
    });
  });

  it('failover-ipv6: crash r1, r2 takes over inside the RFC window', async (ctx) => {
    const r = await run(failoverIpv6, ctx);
    expect(r.failures).toEqual([]);
    expect(r.measurements.failoverMs).toBeGreaterThan(0);
  });

  it('graceful-shutdown-ipv6: a priority-0 advert over IPv6, takeover after Skew_Time', async (ctx) => {
    const r = await run(gracefulShutdownIpv6, ctx);
    expect(r.failures).toEqual([]);
    expect(r.timeline.adverts.some((a) => a.host === 'r1' && a.priority === 0)).toBe(true);
  });

  it('garp-ipv6: unsolicited Neighbor Advertisements on every mastership, on schedule', async (ctx) => {
    const r = await run(garpIpv6, ctx);
    expect(r.failures).toEqual([]);
    const nas = r.timeline.garps.filter((g) => g.kind === 'na' && g.senderIp === VIP);
    expect(nas.length).toBeGreaterThanOrEqual(10);
    expect(r.timeline.garps.filter((g) => g.kind === 'arp')).toEqual([]);
  });

  it('preempt-ipv6: the restarted r1 takes the VIP back', async (ctx) => {
    const r = await run(preemptIpv6, ctx);
    expect(r.failures).toEqual([]);
  });

  it('nopreempt-ipv6: the restarted n14 stays Backup', async (ctx) => {
    const r = await run(nopreemptIpv6, ctx);
    expect(r.failures).toEqual([]);
    expect(r.measurements.transitionsAfterRestart).toBe(0);
    expect(r.timeline).toHaveSingleVipHolder('fd00:99::16', { fromMs: mark(r, 'restart') });
  });
});
