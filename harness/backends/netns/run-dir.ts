import { join } from 'node:path';

/** Where runs live: `$VRRPLAB_RUNS_DIR` or /run/vrrp-lab (tmpfs: a reboot clears it with the namespaces). */
export function defaultRunsDir(): string {
  return process.env.VRRPLAB_RUNS_DIR || '/run/vrrp-lab';
}

export interface RunPaths {
  root: string;
  manifest: string;
  hosts: string;
  logs: string;
  captures: string;
  host(name: string): string;
}

export function runPaths(runsDir: string, runId: string): RunPaths {
  const root = join(runsDir, runId);
  return {
    root,
    manifest: join(root, 'manifest.json'),
    hosts: join(root, 'hosts'),
    logs: join(root, 'logs'),
    captures: join(root, 'captures'),
    host: (name) => join(root, 'hosts', name),
  };
}
