import { expect } from 'vitest';
import { type VrrpMatchers, vrrpMatchers } from './vrrp-matchers.js';

/**
 * Import once (e.g. in a vitest setupFiles entry or at the top of a test file) to get
 * `expect(timeline).toHaveSingleVipHolder(vip)`, `.toConvergeWithin(ms, { host })` and
 * `.toFailOverWithinRfcWindow({...})`, with types.
 */
expect.extend(vrrpMatchers);

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: the shape vitest's own Assertion declares
  interface Assertion<T = any> extends VrrpMatchers<T> {}
  interface AsymmetricMatchersContaining extends VrrpMatchers {}
}

export {
  type ConvergeOptions,
  type RfcWindowOptions,
  type SingleHolderOptions,
  type TimelineSubject,
  type VrrpMatchers,
  vrrpMatchers,
} from './vrrp-matchers.js';
