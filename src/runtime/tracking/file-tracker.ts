import { EventEmitter } from 'node:events';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
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

function readValue(path: string): number {
  try {
    const n = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}
