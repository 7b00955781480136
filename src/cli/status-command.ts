import { queryControlSocket } from '../runtime/control-server.js';
import type { DaemonStatus } from '../runtime/status.js';
import { formatStatusText } from '../runtime/status-format.js';

export async function statusCommand(opts: { json: boolean; controlSocket: string }): Promise<number> {
  let status: DaemonStatus;
  try {
    status = (await queryControlSocket(opts.controlSocket, 'status')) as DaemonStatus;
  } catch (e) {
    process.stderr.write(`vrrpd status: ${controlSocketProblem(opts.controlSocket, e as NodeJS.ErrnoException)}\n`);
    return 1;
  }
  process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatusText(status));
  return 0;
}

/** One actionable line for a control socket that cannot be used. */
export function controlSocketProblem(path: string, e: NodeJS.ErrnoException): string {
  if (e.code === 'EACCES' || e.code === 'EPERM')
    return `permission denied on the control socket ${path}: it is root-only (mode 0600); run vrrpd status as root`;
  if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED')
    return `no vrrpd is listening on ${path} (is it running? another socket is chosen with --control-socket)`;
  return `cannot reach the daemon at ${path}: ${e.message}`;
}
