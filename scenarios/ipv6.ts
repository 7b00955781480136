import type { TopologySource } from '../harness/scenario/topology-source.js';
import type { Scenario, ScenarioStep } from '../harness/scenario/types.js';
import { convergence } from './convergence.js';
import { failover } from './failover.js';
import { garp } from './garp.js';
import { gracefulShutdown } from './graceful-shutdown.js';
import { nopreempt } from './nopreempt.js';
import { preempt } from './preempt.js';

/**
 * IPv6 variants of the core scenarios on dual-stack topologies (every host has an IPv4 and an IPv6 address:
 * three-hosts, and dual-stack-pair for nopreempt): each router runs one VRRPv3 instance for an IPv6 VIP (RFC 5798 §5.1.2: adverts from the
 * link-local address to ff02::12). The steps and assertions are the IPv4 scenarios' own; `garp-ipv6` checks
 * the unsolicited Neighbor Advertisements that announce an IPv6 VIP (§6.4.1, §8.2).
 */
export const IPV6_VIP = 'fd00:99::254/64';

/**
 * Step: wait until Duplicate Address Detection has finished on every router. The lab brings links up just
 * before the daemons start, and for ~1 s the link-local addresses are tentative: the kernel refuses them
 * as a source, so no VRRPv3 advert leaves, every router times out and takes the VIP (seen in the capture:
 * DAD neighbor solicitations, three hosts announcing the VIP, the first advert only once DAD is done).
 * A router's link has been up far longer than that, so the scenario starts from there.
 */
export const dadDone: ScenarioStep = {
  name: 'ipv6 dad done',
  run: async (ctx) => {
    for (const h of ctx.routers) {
      await ctx.waitFor(async () => (await ctx.host(h).$`ip -6 -o addr show tentative`).stdout.trim(), {
        timeoutMs: 10_000,
        description: `no tentative IPv6 address on ${h}`,
        until: (tentative) => tentative === '',
      });
    }
  },
};

function ipv6(s: Scenario, topology: TopologySource): Scenario {
  return {
    ...s,
    name: `${s.name}-ipv6`,
    variant: 'ipv6',
    description: `${s.description} (IPv6)`,
    topology,
    steps: [dadDone, ...s.steps],
  };
}

/** three-hosts at VRRPv3 0.2 s, like the IPv4 core scenarios, with the IPv6 VIP. */
const FAST_V6: TopologySource = {
  file: 'three-hosts.yaml',
  overrides: { vrrp: { version: 3, advertIntervalS: 0.2, vips: [IPV6_VIP] } },
};

/** The seed pair's nopreempt settings on a dual-stack link (VRRPv2 has no IPv6: VRRPv3 at the seed's 1 s). */
const NOPREEMPT_V6: TopologySource = { file: 'dual-stack-pair.yaml' };

export const convergenceIpv6 = ipv6(convergence, FAST_V6);
export const failoverIpv6 = ipv6(failover, FAST_V6);
export const gracefulShutdownIpv6 = ipv6(gracefulShutdown, FAST_V6);
export const garpIpv6 = ipv6(garp, FAST_V6);
export const preemptIpv6 = ipv6(preempt, FAST_V6);
export const nopreemptIpv6 = ipv6(nopreempt, NOPREEMPT_V6);

export const ipv6Scenarios: readonly Scenario[] = [
  convergenceIpv6,
  failoverIpv6,
  gracefulShutdownIpv6,
  garpIpv6,
  preemptIpv6,
  nopreemptIpv6,
];
