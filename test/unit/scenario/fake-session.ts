import type { LabSession } from '../../../harness/scenario/session.js';
import { emptyTimeline } from '../../../harness/scenario/timeline.js';

/**
 * A LabSession that does nothing, for unit tests of what drives a session (the scenario runner, the
 * VrrpLab API): each test overrides the calls it observes.
 */
export function fakeSession(overrides: Partial<LabSession>): LabSession {
  return {
    runId: 'fake01',
    runDir: '/tmp/fake01',
    start: async () => {},
    stop: async () => {},
    kill: async () => {},
    cleanupStale: async () => {},
    linkDown: async () => {},
    linkUp: async () => {},
    loss: async () => async () => {},
    flap: async () => {},
    nginxFail: async () => {},
    nginxRecover: async () => {},
    holders: () => [],
    mac: () => undefined,
    finish: async () => {
      const { faults: _f, steps: _s, ...seen } = emptyTimeline();
      return seen;
    },
    destroy: async () => {},
    ...overrides,
  };
}
