import type { MonotonicTimer } from '../../../src/platform/monotonic-timer.js';
import type { InstanceSettings } from '../../../src/runtime/instance-config.js';
import type { InstanceIo } from '../../../src/runtime/instance-runner.js';
import { params } from '../core/fixtures.js';

/** Settings of one IPv4 instance (VRID 51, v2 PASS) for runtime unit tests; `over` patches the core params. */
export function settings(over: Partial<InstanceSettings['params']> = {}): InstanceSettings {
  return {
    name: 'VI_1',
    ifname: 'eth0',
    family: 4,
    primaryAddress: '10.0.0.11',
    vips: [{ cidr: '10.0.0.254/24', address: '10.0.0.254', family: 4, dev: 'eth0', options: {}, noTrack: false }],
    excludedVips: [],
    unicastPeers: [],
    unicastTtl: 255,
    faultNoPeer: false,
    checkUnicastSrc: false,
    peerTtl: {},
    skipCheckAdvAddr: false,
    multicastGroup: '224.0.0.18',
    authType: 1,
    authPass: 's3cr3t',
    params: params({ version: 2, primaryAddress: '10.0.0.11', ...over }),
  };
}

export class RecordingIo implements InstanceIo {
  readonly calls: string[] = [];
  sendAdvert(priority: number): void {
    this.calls.push(`advert ${priority}`);
  }
  addVips(): void {
    this.calls.push('add-vips');
  }
  removeVips(): void {
    this.calls.push('remove-vips');
  }
  sendGarp(repeat: number): number {
    this.calls.push(`garp ${repeat}`);
    return repeat;
  }
}

/** An OS timer that records what it was armed for; the test fires it by hand. */
export function fakeTimer() {
  const state = { armedUs: -1, ref: false, fire: () => {} };
  const open = (onExpired: () => void): MonotonicTimer => {
    state.fire = onExpired;
    return {
      armAt: (d) => {
        state.armedUs = d;
      },
      disarm: () => {
        state.armedUs = -1;
      },
      setRef: (r) => {
        state.ref = r;
      },
      close: () => {},
    };
  };
  return { state, open };
}
