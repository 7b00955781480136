import { describe, expect, it } from 'vitest';
import { longestGapMs } from '../../../harness/conformance/groups/state.js';

describe('longestGapMs (S12: did the tester stall before the DUT spoke?)', () => {
  it('measures between instants and to both edges of the window', () => {
    expect(longestGapMs([100, 200, 300], 0, 350)).toBe(100);
    expect(longestGapMs([100, 200, 800], 0, 850)).toBe(600); // the tester stalled 600 ms
    expect(longestGapMs([100, 200], 0, 900)).toBe(700); // silent up to the end of the window
    expect(longestGapMs([], 50, 450)).toBe(400);
    expect(longestGapMs([10, 20, 400, 1000], 300, 500)).toBe(100); // only instants inside the window count
  });
});
