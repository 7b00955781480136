import { closeSync, constants, openSync, writeSync } from 'node:fs';

/**
 * Writes a file without following a symlink at its last component (O_NOFOLLOW): a root daemon writing a pid
 * or state file into a directory another user can write must not be redirected onto /etc/shadow by a planted
 * link. A symlink there fails with ELOOP instead.
 */
export function writeFileNoFollow(path: string, data: string, mode = 0o644): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, mode);
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}
