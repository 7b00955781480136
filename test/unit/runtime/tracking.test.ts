import { describe, expect, it } from 'vitest';
import {
  checkContribution,
  effectivePriority,
  fileContribution,
} from '../../../src/runtime/tracking/effective-priority.js';
import { applyResult, initialRiseFall, type RiseFallState } from '../../../src/runtime/tracking/rise-fall.js';

function feed(results: boolean[], rise: number, fall: number): RiseFallState['status'][] {
  let s = initialRiseFall;
  return results.map((ok) => {
    s = applyResult(s, ok, rise, fall).state;
    return s.status;
  });
}

describe('rise/fall hysteresis', () => {
  it('takes the first result at once (keepalived: a failing script at startup faults immediately)', () => {
    expect(feed([false], 2, 2)).toEqual(['down']);
    expect(feed([true], 2, 2)).toEqual(['up']);
  });

  it('needs `fall` consecutive failures to go down and `rise` successes to come back', () => {
    expect(feed([true, false, true, false, false, true, true], 2, 2)).toEqual([
      'up',
      'up',
      'up',
      'up',
      'down',
      'down',
      'up',
    ]);
  });

  it('reports a change only when the status flips', () => {
    const a = applyResult(initialRiseFall, true, 1, 1);
    expect(a.changed).toBe(true);
    expect(applyResult(a.state, true, 1, 1).changed).toBe(false);
    expect(applyResult(a.state, false, 1, 1).changed).toBe(true);
  });
});

describe('effective priority (keepalived weights)', () => {
  it('adds a negative weight while the check fails and clamps to 1..254', () => {
    expect(effectivePriority(150, [checkContribution('s', -60, false, false)]).effective).toBe(90);
    expect(effectivePriority(150, [checkContribution('s', -60, false, true)]).effective).toBe(150);
    expect(effectivePriority(20, [checkContribution('s', -60, false, false)]).effective).toBe(1);
    expect(effectivePriority(250, [checkContribution('s', 50, false, true)]).effective).toBe(254);
  });

  it('adds a positive weight while the check succeeds', () => {
    expect(effectivePriority(100, [checkContribution('s', 20, false, true)]).effective).toBe(120);
    expect(effectivePriority(100, [checkContribution('s', 20, false, false)]).effective).toBe(100);
  });

  it('reverse flips the direction of the adjustment', () => {
    expect(effectivePriority(100, [checkContribution('s', 20, true, false)]).effective).toBe(80);
  });

  it('weight 0 turns a failure into FAULT and names the culprit', () => {
    const r = effectivePriority(100, [checkContribution('chk_nginx', 0, false, false)]);
    expect(r).toMatchObject({ faulted: true, faultReasons: ['chk_nginx'], effective: 100 });
  });

  it('never changes the owner priority 255 (RFC 5798 §6.1)', () => {
    expect(effectivePriority(255, [checkContribution('s', -60, false, false)]).effective).toBe(255);
  });

  it('ignores checks without a result yet', () => {
    expect(effectivePriority(100, [checkContribution('s', -60, false, undefined)]).effective).toBe(100);
  });

  it('track_file multiplies the value by the weight and faults below -253', () => {
    expect(effectivePriority(100, [fileContribution('f', 10, false, 3)]).effective).toBe(130);
    expect(fileContribution('f', 100, false, -3).faulted).toBe(true);
    expect(fileContribution('f', 0, false, 1).faulted).toBe(true);
    expect(fileContribution('f', 0, false, 0).faulted).toBe(false);
  });
});
