import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { vrrpdCliPath } from '../../harness/adapters/vrrpd.js';
import { defineTopology, Lab, waitFor } from '../../harness/lab/index.js';
import { captureAdverts, wallMs } from './capture.js';

/**
 * Start → Master for a lone node (VRRPv3, 0.1 s, priority 150: Master_Down_Interval 341 ms): from the
 * spawn of the daemon to its first advert on the wire, vrrpd and keepalived alternated in one lab.
 * Both start the same way (`ip netns exec`, foreground), vrrpd as a user would: `node dist/src/cli/vrrpd.js`.
 */
const CONF = `global_defs {
  router_id r1
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 150
  version 3
  advert_int 0.1
  virtual_ipaddress {
    10.99.0.254/24
  }
}
`;

export type StartupImpl = 'vrrpd' | 'keepalived';

export async function benchStartup(runs: number): Promise<Record<StartupImpl, number[]>> {
  const lab = await Lab.build(
    defineTopology({
      name: 'startup',
      switches: { sw: {} },
      hosts: {
        r1: {
          role: 'router',
          links: [{ switch: 'sw', address: '10.99.0.11/24' }],
          vrrp: [{ vrid: 51, vips: ['10.99.0.254/24'] }],
        },
      },
    }),
  );
  const out: Record<StartupImpl, number[]> = { vrrpd: [], keepalived: [] };
  try {
    const host = lab.host('r1');
    const f = (name: string) => join(lab.dir, name);
    await writeFile(f('startup.conf'), CONF);
    const argv: Record<StartupImpl, [string, string[]]> = {
      vrrpd: [
        process.execPath,
        [vrrpdCliPath(), '-n', '-f', f('startup.conf'), '-p', f('v.pid'), '--control-socket', f('v.sock')],
      ],
      keepalived: [
        'keepalived',
        ['-n', '-l', '-P', '-f', f('startup.conf'), '-p', f('k.pid'), '-r', f('kv.pid'), '-c', f('kc.pid'), '-i', 'r1'],
      ],
    };
    for (let i = 0; i < runs; i++) {
      for (const impl of ['vrrpd', 'keepalived'] as const) {
        const capture = await captureAdverts(host.netns, 'eth0');
        try {
          const [cmd, args] = argv[impl];
          const t0 = wallMs();
          const pid = await host.spawn(cmd, args, { logFile: f(`${impl}.log`) });
          const first = await capture.first(t0, 10_000);
          out[impl].push(first.atMs - t0);
          process.kill(pid, 'SIGTERM');
          await waitFor(
            async () => {
              try {
                process.kill(pid, 0);
                return false;
              } catch {
                return !(await host.hasLocalAddress('10.99.0.254'));
              }
            },
            { timeoutMs: 20_000, intervalMs: 50, description: `${impl} has exited` },
          );
        } finally {
          capture.stop();
        }
      }
    }
  } finally {
    await lab.destroy();
  }
  return out;
}
