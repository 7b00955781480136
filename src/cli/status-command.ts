import { queryControlSocket } from '../runtime/control-server.js';
import type { DaemonStatus } from '../runtime/status.js';
import { formatStatusText } from '../runtime/status-format.js';

export async function statusCommand(opts: { json: boolean; controlSocket: string }): Promise<number> {
  let status: DaemonStatus;
  try {
    status = (await queryControlSocket(opts.controlSocket, 'status')) as DaemonStatus;
  } catch (e) {
    process.stderr.write(`vrrpd status: cannot reach the daemon at ${opts.controlSocket}: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatusText(status));
  return 0;
}
