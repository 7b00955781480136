import { CommandError } from '../../src/util/errors.js';
import type { AdapterHost } from './types.js';

/**
 * Delete this host's VIPs from its VRRP interface. A SIGKILLed keepalived (or vrrpd) leaves them
 * configured, so the dead node keeps answering ARP for them (docs/quirks.md Q2); the harness calls
 * this between runs or after a crash scenario. Addresses that are not present are skipped.
 */
export async function cleanupStaleVips(host: AdapterHost): Promise<string[]> {
  const removed: string[] = [];
  for (const inst of host.instances) {
    for (const vip of inst.vips) {
      try {
        await host.exec('ip', ['addr', 'del', vip, 'dev', host.ifname]);
        removed.push(vip);
      } catch (err) {
        // Not configured = nothing stale. iproute2 6.1 says "Error: ipv4: Address not found." (netlink
        // extack); older ones "RTNETLINK answers: Cannot assign requested address".
        if (!(err instanceof CommandError && /Address not found|Cannot assign requested address/i.test(err.stderr)))
          throw err;
      }
    }
  }
  return removed;
}
