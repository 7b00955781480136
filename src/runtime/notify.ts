import { closeSync, writeSync } from 'node:fs';
import type { Logger } from '../util/logger.js';
import { openFifoNoFollow } from '../util/safe-files.js';
import { runScript, type ScriptUser } from './tracking/script-runner.js';

export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP';

export interface NotifyConfig {
  master?: string;
  backup?: string;
  fault?: string;
  stop?: string;
  /** Generic script: called with `INSTANCE|GROUP NAME STATE PRIORITY` appended (keepalived.conf(5) "notify"). */
  generic?: string;
}

/**
 * Runs keepalived-style notify scripts and writes notify FIFO lines on each state change. Scripts run
 * in the background: a slow notify script must never delay the protocol (keepalived does the same).
 */
export class Notifier {
  private fifoFd: number | undefined;

  constructor(
    private readonly log: Logger,
    private readonly user: ScriptUser | undefined,
    readonly fifoPath: string | undefined,
  ) {}

  notify(kind: 'INSTANCE' | 'GROUP', name: string, state: NotifyState, priority: number, cfg: NotifyConfig): void {
    const specific = { MASTER: cfg.master, BACKUP: cfg.backup, FAULT: cfg.fault, STOP: cfg.stop }[state];
    if (specific) this.run(specific, []);
    if (cfg.generic) this.run(cfg.generic, [kind, name, state, String(priority)]);
    if (this.fifoPath) this.writeFifo(`${kind} "${name}" ${state} ${priority}\n`);
  }

  private run(script: string, args: string[]): void {
    void runScript(script, { user: this.user, timeoutMs: 30_000, args }).then((r) => {
      if (!r.ok) this.log.warn('notify script failed', { script, exitCode: r.exitCode, timedOut: r.timedOut });
    });
  }

  /**
   * The FIFO is opened once, O_RDWR | O_NONBLOCK, and kept open (as keepalived does): O_RDWR never blocks
   * and never fails for want of a reader, and a reader never sees EOF between two lines. With no reader
   * the pipe buffer fills and further lines are dropped (EAGAIN) rather than blocking the daemon.
   */
  private writeFifo(line: string): void {
    try {
      this.fifoFd ??= openFifoNoFollow(this.fifoPath as string);
      writeSync(this.fifoFd, line);
    } catch (e) {
      this.log.warn('notify fifo write failed', { fifo: this.fifoPath, error: (e as Error).message });
    }
  }

  close(): void {
    if (this.fifoFd !== undefined) closeSync(this.fifoFd);
    this.fifoFd = undefined;
  }
}
