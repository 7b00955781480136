import { interfaceInfo, type LinkMonitor } from '../platform/index.js';
import { canonicalAddress } from '../protocol/index.js';
import type { Logger } from '../util/logger.js';
import { installedAddresses } from './instance-config.js';
import type { InstanceRunner } from './instance-runner.js';

/** The interface's index, or undefined when it does not exist (any more). */
export function ifindexOf(ifname: string): number | undefined {
  try {
    return interfaceInfo(ifname).ifindex;
  } catch {
    return undefined;
  }
}

/**
 * keepalived: when one of a Master's VIPs or excluded VIPs is deleted from outside, the instance goes to BACKUP
 * (and takes over again, with every address, once its Master_Down_Interval passes unheard) — unless the address
 * is marked `no_track`. Our own removals happen after the instance left MASTER, so they never trigger this.
 */
export function watchVipRemovals(monitor: LinkMonitor, runners: () => Iterable<InstanceRunner>, log: Logger): void {
  monitor.on('addressRemoved', ({ ifindex, address }) => {
    const key = canonicalAddress(address);
    for (const r of runners()) {
      if (r.state !== 'MASTER') continue;
      const vip = installedAddresses(r.settings).find((v) => canonicalAddress(v.address) === key);
      if (!vip || ifindexOf(vip.dev) !== ifindex) continue;
      if (vip.noTrack) {
        log.info('VIP removed from outside; no_track, staying Master', { instance: r.name, vip: vip.cidr });
        continue;
      }
      r.handle({ type: 'resign', reason: `VIP ${vip.cidr} removed from ${vip.dev} from outside` });
    }
  });
}
