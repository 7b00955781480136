import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Logger } from '../util/logger.js';
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
  constructor(
    private readonly log: Logger,
    private readonly user: ScriptUser | undefined,
    private readonly fifoPath: string | undefined,
  ) {}

  notify(kind: 'INSTANCE' | 'GROUP', name: string, state: NotifyState, priority: number, cfg: NotifyConfig): void {
    const specific = { MASTER: cfg.master, BACKUP: cfg.backup, FAULT: cfg.fault, STOP: cfg.stop }[state];
    if (specific) this.run(specific, []);
    if (cfg.generic) this.run(cfg.generic, [kind, name, state, String(priority)]);
    if (this.fifoPath) void this.writeFifo(`${kind} "${name}" ${state} ${priority}\n`);
  }

  private run(script: string, args: string[]): void {
    void runScript(script, { user: this.user, timeoutMs: 30_000, args }).then((r) => {
      if (!r.ok) this.log.warn('notify script failed', { script, exitCode: r.exitCode, timedOut: r.timedOut });
    });
  }

  private async writeFifo(line: string): Promise<void> {
    try {
      // O_NONBLOCK: with no reader on the FIFO the open fails (ENXIO) instead of blocking the daemon.
      const fh = await open(this.fifoPath as string, constants.O_WRONLY | constants.O_APPEND | constants.O_NONBLOCK);
      await fh.write(line);
      await fh.close();
    } catch (e) {
      this.log.warn('notify fifo write failed', { fifo: this.fifoPath, error: (e as Error).message });
    }
  }
}
