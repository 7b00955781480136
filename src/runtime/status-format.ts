import type { DaemonStatus } from './status.js';

/** Human-readable status, also the body of the SIGUSR1 data dump (keepalived writes /tmp/keepalived.data). */
export function formatStatusText(s: DaemonStatus): string {
  const lines = [
    `vrrpd ${s.version} pid ${s.pid} router_id ${s.routerId} config ${s.configFile} up ${(s.uptimeMs / 1000).toFixed(1)} s`,
  ];
  for (const i of s.instances) {
    lines.push(
      `${i.name}: ${i.state} vrid ${i.vrid} v${i.version} IPv${i.family} dev ${i.interface} ` +
        `prio ${i.effectivePriority}/${i.basePriority} adv ${i.advertIntervalCs / 100}s ` +
        `master ${i.master ? `${i.master.address} prio ${i.master.priority}` : '-'}`,
      `  vips ${i.vips.join(' ')}${i.vipsInstalled ? ' (installed)' : ''}`,
      `  sent ${i.counters.advertsSent} rcvd ${i.counters.advertsReceived} transitions ${i.counters.transitions} ` +
        `garps ${i.counters.garpsSent} prio0 sent/rcvd ${i.counters.priorityZeroSent}/${i.counters.priorityZeroReceived}`,
    );
    const drops = Object.entries(i.counters.drops);
    if (drops.length) lines.push(`  dropped ${i.counters.dropped}: ${drops.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    for (const t of i.tracking)
      lines.push(`  track ${t.kind} ${t.name} weight ${t.weight} ${t.up === null ? 'pending' : t.up ? 'up' : 'down'}`);
  }
  const drops = Object.entries(s.drops);
  if (drops.length) lines.push(`unmatched dropped ${s.dropped}: ${drops.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  return `${lines.join('\n')}\n`;
}
