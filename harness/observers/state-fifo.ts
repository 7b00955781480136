import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { monotonicMs } from '../../src/util/clock.js';
import type { StateChange } from './timeline.js';

/**
 * Daemon state changes from keepalived's notify FIFO protocol (`notify_fifo`, which vrrpd speaks too):
 * one line per transition, `INSTANCE "VI_1" MASTER 100`. The line is stamped on arrival with the monotonic
 * clock the rest of the timeline uses; both daemons write it synchronously on the transition.
 *
 * The FIFO is opened O_RDWR | O_NONBLOCK and read through a libuv pipe handle: O_RDWR never sees EOF when a
 * daemon closes its end (a restart), and a pipe handle reads on the event loop instead of holding one of
 * libuv's four threadpool threads per host (the holder sampler needs those).
 */
export class StateFifoObserver {
  readonly changes: StateChange[] = [];
  private readonly last = new Map<string, string>();
  private buffer = '';

  private constructor(
    readonly host: string,
    private readonly socket: Socket,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => undefined);
  }

  static start(o: { host: string; path: string }): StateFifoObserver {
    if (!existsSync(o.path)) execFileSync('mkfifo', ['-m', '600', o.path]);
    const fd = openSync(o.path, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      return new StateFifoObserver(o.host, new Socket({ fd, readable: true, writable: false }));
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  private onData(chunk: string): void {
    const tMs = monotonicMs();
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      const c = parseFifoLine(line);
      if (c?.kind !== 'INSTANCE') continue;
      const from = this.last.get(c.name) ?? 'INIT';
      this.last.set(c.name, c.state);
      if (from === c.state) continue;
      this.changes.push({
        tMs,
        host: this.host,
        instance: c.name,
        from,
        to: c.state,
        reason: `notify_fifo prio ${c.priority}`,
      });
    }
  }

  stop(): StateChange[] {
    this.socket.destroy();
    return this.changes;
  }
}

/** `INSTANCE "VI_1" MASTER 100` (keepalived.conf(5), notify_fifo); GROUP lines have no priority. */
export function parseFifoLine(
  line: string,
): { kind: 'INSTANCE' | 'GROUP'; name: string; state: string; priority: number } | undefined {
  const m = /^(INSTANCE|GROUP) "([^"]*)" (\w+)(?: (\d+))?$/.exec(line.trim());
  if (!m) return undefined;
  return { kind: m[1] as 'INSTANCE' | 'GROUP', name: m[2]!, state: m[3]!, priority: Number(m[4] ?? 0) };
}
