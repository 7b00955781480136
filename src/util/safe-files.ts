import { closeSync, constants, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * Unpredictable bytes for temporary names, read from the kernel: node:crypto would cost ~3 ms of start-up
 * (its internals are compiled when first loaded) for four bytes.
 */
function randomHex(bytes: number): string {
  const buf = Buffer.alloc(bytes);
  const fd = openSync('/dev/urandom', constants.O_RDONLY);
  try {
    readSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  return buf.toString('hex');
}

/**
 * Replaces a file without following anything another user planted at its name: the text goes to a fresh
 * file (O_CREAT | O_EXCL | O_NOFOLLOW: never an existing file, link or FIFO) that is then renamed over the
 * name. rename(2) replaces a symlink or hard link itself instead of writing through it, and in a sticky
 * directory (/tmp) it refuses to replace another user's file (EPERM), so a root daemon writing its pid,
 * state or data-dump file cannot be redirected onto /etc/shadow.
 */
export function writeFileNoFollow(path: string, data: string, mode = 0o644): void {
  const tmp = `${path}.${randomHex(4)}.tmp`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Opens an existing FIFO for writing without blocking (O_RDWR never waits for a reader, as keepalived
 * opens notify_fifo), refusing a symlink (O_NOFOLLOW: ELOOP) and anything that is not a FIFO (a regular
 * file planted at the name would otherwise be appended to).
 */
export function openFifoNoFollow(path: string): number {
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  if (!fstatSync(fd).isFIFO()) {
    closeSync(fd);
    throw Object.assign(new Error(`${path} is not a FIFO; refusing to write to it`), { code: 'EINVAL' });
  }
  return fd;
}
