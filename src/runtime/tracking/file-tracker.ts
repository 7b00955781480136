import { EventEmitter } from 'node:events';
import { type FSWatcher, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * track_file: the file holds an integer; a missing or unreadable file counts as 0, as in keepalived.
 * Changes are picked up through inotify on the directory (fs.watch), so a
 * file replaced by rename (the usual atomic write) is seen as well.
 */
export class FileTracker extends EventEmitter<{ change: [value: number] }> {
  value: number;
  private watcher: FSWatcher | undefined;

  constructor(readonly path: string) {
    super();
    this.value = readValue(path);
  }

  start(): void {
    this.watcher = watch(dirname(this.path), (_event, file) => {
      if (file !== null && file !== basename(this.path)) return;
      const v = readValue(this.path);
      if (v === this.value) return;
      this.value = v;
      this.emit('change', v);
    });
  }

  stop(): void {
    this.watcher?.close();
  }
}

/**
 * track_file `init_file [VALUE] [overwrite]` (keepalived 2.2.7 track_file.c): write "VALUE\n" to the file
 * at start when it does not exist, or with `overwrite` also when it is a regular file — but never on a
 * reload. Returns an error message instead of throwing.
 */
export function initTrackFile(
  path: string,
  init: { value: number; overwrite: boolean },
  reload: boolean,
): string | undefined {
  let exists = true;
  try {
    const st = statSync(path);
    if (!init.overwrite || reload) return undefined;
    if (!st.isFile()) return `cannot initialise track file ${path}: it is not a regular file`;
  } catch {
    exists = false;
  }
  if (exists && reload) return undefined;
  try {
    writeFileSync(path, `${init.value}\n`);
    return undefined;
  } catch (e) {
    return `unable to initialise track file ${path}: ${(e as Error).message}`;
  }
}

function readValue(path: string): number {
  try {
    const n = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}
