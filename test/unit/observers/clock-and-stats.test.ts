import { describe, expect, it } from 'vitest';
import { ClockMap, calibrate } from '../../../harness/observers/clock-map.js';
import { exitStats, lastInfoStats, outstanding } from '../../../harness/observers/tcpdump-stats.js';
import { monotonicMs } from '../../../src/util/clock.js';

describe('ClockMap', () => {
  it('calibrates on a Date.now() edge: the pair agrees with a fresh reading within ~1 ms', () => {
    const pair = calibrate();
    expect(Number.isInteger(pair.wallMs)).toBe(true);
    const map = new ClockMap(pair);
    const mono = monotonicMs();
    const wall = Date.now();
    expect(Math.abs(map.toMono(wall) - mono)).toBeLessThan(1.5);
  });

  it('interpolates the offset between start and end pairs and reports the drift', () => {
    const map = new ClockMap({ wallMs: 1000, monoMs: 0 }, { wallMs: 2002, monoMs: 1000 });
    expect(map.toMono(1000)).toBe(0);
    expect(map.toMono(2002)).toBe(1000);
    expect(map.toMono(1501)).toBeCloseTo(500, 6);
    expect(map.driftMs).toBe(2);
    expect(new ClockMap({ wallMs: 1000, monoMs: 0 }).toMono(1500)).toBe(500);
  });
});

describe('tcpdump stats', () => {
  const stderr =
    'tcpdump: listening on br0, link-type EN10MB (Ethernet), snapshot length 2048 bytes\n' +
    'tcpdump: 1 packet captured, 3 packets received by filter, 0 packets dropped by kernel\n' +
    'tcpdump: 33 packets captured, 50 packets received by filter, 17 packets dropped by kernel\n' +
    '33 packets captured\n50 packets received by filter\n17 packets dropped by kernel\n';

  it('reads the last SIGUSR1 line and the exit summary', () => {
    expect(lastInfoStats(stderr)).toEqual({ captured: 33, receivedByFilter: 50, droppedByKernel: 17 });
    expect(exitStats(stderr)).toEqual({ captured: 33, receivedByFilter: 50, droppedByKernel: 17 });
    expect(lastInfoStats('nothing')).toBeUndefined();
  });

  it('counts kernel drops as lost, not as outstanding', () => {
    expect(outstanding({ captured: 33, receivedByFilter: 50, droppedByKernel: 17 })).toBe(0);
    expect(outstanding({ captured: 1, receivedByFilter: 3, droppedByKernel: 0 })).toBe(2);
  });
});
