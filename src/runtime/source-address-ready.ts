import { interfaceInfo } from '../platform/index.js';
import type { InstanceSettings } from './instance-config.js';
import type { InstanceRunner } from './instance-runner.js';

const CHECK_MS = 50;
const FAULT_SOURCE = 'source-address';

/**
 * An IPv6 instance sends from the interface's link-local address, which is unusable while duplicate
 * address detection runs (~1–2 s after the link comes up): the kernel refuses it as a source (EINVAL).
 * RFC 5798 §8.2.2: adverts and unsolicited NAs must wait until the address is usable. The instance is
 * held in FAULT until then; the check runs only while the address is tentative.
 * Returns a function that stops the check.
 */
export function holdUntilSourceReady(s: InstanceSettings, runner: InstanceRunner): () => void {
  if (s.family !== 6) return () => {};
  const tentative = () => {
    try {
      const info = interfaceInfo(s.ifname);
      return info.ipv6LinkLocal === s.primaryAddress && info.ipv6LinkLocalTentative === true;
    } catch {
      return false;
    }
  };
  if (!tentative()) return () => {};
  runner.handle({
    type: 'fault',
    faulted: true,
    source: FAULT_SOURCE,
    reason: `IPv6 link-local ${s.primaryAddress} on ${s.ifname} is tentative (DAD)`,
  });
  const timer = setInterval(() => {
    if (tentative()) return;
    clearInterval(timer);
    runner.handle({ type: 'fault', faulted: false, source: FAULT_SOURCE, reason: 'IPv6 link-local usable' });
  }, CHECK_MS);
  return () => clearInterval(timer);
}
