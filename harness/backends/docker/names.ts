/**
 * Docker object names and labels of a run. Every container and image carries the run id label, so a
 * cleanup finds a run's objects by label (containerlab's model), never by a name pattern.
 */

export const LABEL_RUN_ID = 'io.vrrp-lab.run-id';
export const LABEL_HOST = 'io.vrrp-lab.host';
/** The run directory (its manifest says whether the run is alive). */
export const LABEL_RUN_DIR = 'io.vrrp-lab.run-dir';
/** `<pid>:<start time>` of the harness process that created the object (pid reuse safe). */
export const LABEL_OWNER = 'io.vrrp-lab.owner';

/** `vl-<rid>-<host>`: the same name as the host's netns in the netns backend, and its attached netns here. */
export function containerName(rid: string, host: string): string {
  return `vl-${rid}-${host}`;
}

/** The run's image (an empty rootfs; the host's /usr is bind-mounted read-only). */
export function imageRef(rid: string): string {
  return `vrrp-lab-${rid}:base`;
}

export function ownerLabel(pid: number, startTime: number): string {
  return `${pid}:${startTime}`;
}

export function parseOwnerLabel(v: string | undefined): { pid: number; startTime: number } | undefined {
  const m = /^(\d+):(\d+)$/.exec(v ?? '');
  return m ? { pid: Number(m[1]), startTime: Number(m[2]) } : undefined;
}
