import type { Scenario } from '../harness/scenario/types.js';
import { convergence } from './convergence.js';
import { failover } from './failover.js';
import { garp } from './garp.js';
import { gracefulShutdown } from './graceful-shutdown.js';
import { ipv6Scenarios } from './ipv6.js';
import { linkFlap } from './link-flap.js';
import { lossyLink } from './lossy-link.js';
import { multicastDropSplitBrain } from './multicast-drop-split-brain.js';
import { nginxCheckFailover } from './nginx-check-failover.js';
import { nopreempt } from './nopreempt.js';
import { preempt } from './preempt.js';
import { singleHolder } from './single-holder.js';
import { unicastCuresSplitBrain } from './unicast-cures-split-brain.js';

/** Every scenario, in the order the drill runs them (the order: basics, the seed's story, chaos). */
export const scenarios: readonly Scenario[] = [
  convergence,
  singleHolder,
  failover,
  gracefulShutdown,
  garp,
  preempt,
  nopreempt,
  multicastDropSplitBrain,
  unicastCuresSplitBrain,
  nginxCheckFailover,
  linkFlap,
  lossyLink,
  // IPv6 variants of the core scenarios (scenarios/ipv6.ts), last: the IPv4 matrix reads as before.
  ...ipv6Scenarios,
];

export function scenarioByName(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}

export {
  convergence,
  failover,
  garp,
  gracefulShutdown,
  linkFlap,
  lossyLink,
  multicastDropSplitBrain,
  nginxCheckFailover,
  nopreempt,
  preempt,
  singleHolder,
  unicastCuresSplitBrain,
};
