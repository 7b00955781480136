import type { VrrpInstance } from '../config/model.js';
import { monotonicUs } from '../util/clock.js';
import type { InstanceRunner } from './instance-runner.js';
import type { InstanceStatus } from './status.js';
import type { InstanceTracking } from './tracking/instance-tracking.js';

export function instanceStatus(r: InstanceRunner, tracking: InstanceTracking, inst: VrrpInstance): InstanceStatus {
  const s = r.snapshot;
  const nowUs = monotonicUs();
  const inMs = (deadline: number | undefined) =>
    deadline === undefined ? null : Math.max(0, (deadline - nowUs) / 1000);
  const c = s.counters;
  return {
    name: r.name,
    interface: r.settings.ifname,
    family: r.settings.family,
    vrid: s.params.vrid,
    version: s.params.version,
    state: s.state,
    basePriority: s.params.priority,
    effectivePriority: s.effectivePriority,
    advertIntervalCs: s.params.advertIntervalCs,
    masterAdverIntervalCs: s.masterAdverIntervalCs,
    master:
      s.state === 'MASTER'
        ? { address: r.settings.primaryAddress, priority: s.effectivePriority }
        : s.masterAddress !== null
          ? { address: s.masterAddress, priority: s.masterPriority ?? 0 }
          : null,
    vips: r.settings.vips.map((v) => v.cidr),
    vipsInstalled: s.vipsInstalled,
    preempt: inst.preempt,
    timers: { masterDownInMs: inMs(r.timerDeadlineUs('masterDown')), adverInMs: inMs(r.timerDeadlineUs('adver')) },
    tracking: tracking.describe(),
    counters: {
      advertsSent: r.advertsSent,
      advertsReceived: r.advertsReceived,
      transitions: c.transitions,
      becameMaster: c.becameMaster,
      priorityZeroSent: c.priZeroSent,
      priorityZeroReceived: c.priZeroReceived,
      garpsSent: r.garpsSent,
      dropped: r.drops.packets,
      drops: r.drops.toJSON(),
    },
    lastTransition: r.lastTransition,
  };
}
