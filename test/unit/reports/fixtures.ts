import { TimelineBuilder } from '../../../harness/scenario/synthetic-timeline.js';
import type { ScenarioResult } from '../../../harness/scenario/types.js';

export const VIP = '10.99.0.254';

/** A failover picture: r1 Master, crashed at 5.3 s, r2 takes over, 20 ms of two holders. */
export function failoverResult(): ScenarioResult {
  const tl = new TimelineBuilder()
    .host('r1', { mac: '02:00:00:00:00:01' })
    .host('r2', { mac: '02:00:00:00:00:02' })
    .host('r3', { mac: '02:00:00:00:00:03' })
    .host('cl', { role: 'client' })
    .vip(VIP)
    .watched('r2', VIP)
    .watched('r3', VIP)
    .state('r1', 0, 'INIT')
    .state('r1', 300, 'BACKUP')
    .state('r1', 3700, 'MASTER')
    .state('r1', 5300, 'FAULT')
    .state('r2', 300, 'BACKUP')
    .state('r2', 8900, 'MASTER')
    .holds('r1', VIP, 3700, 8920)
    .holds('r2', VIP, 8900)
    .adverts('r1', { priority: 150, fromMs: 3700, toMs: 5300, everyMs: 200 })
    .adverts('r2', { priority: 100, fromMs: 8900, toMs: 12_000, everyMs: 200 })
    .garps('r1', VIP, 3700.2, 5)
    .garps('r2', VIP, 8900.2, 5)
    .fault(300, 'start all')
    .fault(5300, 'crash r1 <&>', 'r1')
    .step('start all', 300, 3800)
    .step('crash master', 5300, 8950)
    .end(12_000);
  return {
    name: 'failover',
    description: 'Crash the Master; the next priority takes over inside the RFC window.',
    status: 'fail',
    durationMs: 12_345,
    measurements: { failoverMs: 3609.4, 'failover.windowMs': '(2609.4, 3609.4] + 100' },
    failures: ['failover: 2 holders (r1, r2) for 20 ms from +8.900 s <script>alert("x")</script> & more'],
    timeline: tl,
    marks: { crash: 5300 },
    keyMeasurement: 'failoverMs',
  };
}

export function skippedResult(): ScenarioResult {
  return {
    name: 'unicast-cures-split-brain',
    status: 'skip',
    durationMs: 3,
    measurements: {},
    failures: [],
    skipReason: 'frr cannot run this topology: unicast peers are not supported',
    timeline: new TimelineBuilder().end(0),
    marks: {},
  };
}

export function passResult(): ScenarioResult {
  return {
    ...failoverResult(),
    name: 'convergence',
    status: 'pass',
    failures: [],
    measurements: { convergenceMs: 3431 },
    keyMeasurement: 'convergenceMs',
  };
}
