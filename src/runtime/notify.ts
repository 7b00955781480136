import { execFileSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, unlinkSync, writeSync } from 'node:fs';
import type { Logger } from '../util/logger.js';
import { openFifoNoFollow } from '../util/safe-files.js';
import { runScript, type ScriptUser } from './tracking/script-runner.js';

export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' | 'DELETED';

/** A notify script and the user it runs as (undefined: root). */
export interface NotifyScript {
  command: string;
  user: ScriptUser | undefined;
}

export interface NotifyConfig {
  master?: NotifyScript;
  backup?: NotifyScript;
  fault?: NotifyScript;
  stop?: NotifyScript;
  /** notify_deleted's script, for an instance a reload removed (instances only). */
  deleted?: NotifyScript;
  /** `notify_deleted` given (with or without a script): a removed instance reports DELETED, not FAULT. */
  notifyDeleted?: boolean;
  /** Generic script: called with `INSTANCE|GROUP NAME STATE PRIORITY` appended (keepalived.conf(5) "notify"). */
  generic?: NotifyScript;
  /** notify_master_rx_lower_pri: run without arguments when a Master hears a lower priority (instances only). */
  masterRxLowerPri?: NotifyScript;
}

/** `notify_fifo` / `vrrp_notify_fifo`: the FIFO, who owns it if vrrpd creates it, and its reader script. */
export interface FifoConfig {
  path: string;
  owner: ScriptUser | undefined;
  /** notify_fifo_script / vrrp_notify_fifo_script: started once with the FIFO's path appended. */
  script?: NotifyScript;
}

interface OpenFifo {
  path: string;
  fd: number;
  created: boolean;
}

/** Notify scripts get 30 s, like keepalived's default script timeout for notifies. */
const NOTIFY_TIMEOUT_MS = 30_000;

/**
 * Runs keepalived-style notify scripts and writes notify FIFO lines (keepalived 2.2.7 vrrp_notify.c): on
 * each state change, on a Master hearing a lower priority (MASTER_RX_LOWER_PRI), and on a priority change
 * when notify_priority_changes is on (MASTER_PRIORITY / BACKUP_PRIORITY). Every line goes to every FIFO
 * (notify_fifo and vrrp_notify_fifo). Scripts run in the background: a slow notify script must never
 * delay the protocol (keepalived does the same).
 */
export class Notifier {
  private readonly open: OpenFifo[] = [];
  /** Process groups of the running FIFO scripts. */
  private readonly fifoScripts = new Set<number>();

  constructor(
    private readonly log: Logger,
    readonly fifos: readonly FifoConfig[],
  ) {
    for (const f of fifos) this.openFifo(f);
  }

  /** The identity of a FIFO setup, to keep the notifier across a reload that does not change it. */
  static key(fifos: readonly FifoConfig[]): string {
    return JSON.stringify(fifos);
  }

  notify(kind: 'INSTANCE' | 'GROUP', name: string, state: NotifyState, priority: number, cfg: NotifyConfig): void {
    const specific = { MASTER: cfg.master, BACKUP: cfg.backup, FAULT: cfg.fault, STOP: cfg.stop, DELETED: cfg.deleted }[
      state
    ];
    if (specific) this.run(specific, []);
    if (cfg.generic) this.run(cfg.generic, [kind, name, state, String(priority)]);
    this.writeFifo(kind, name, state, priority);
  }

  /** keepalived send_event_notify: the script (no arguments), and the FIFO line even without a script. */
  masterRxLowerPriority(name: string, priority: number, cfg: NotifyConfig): void {
    if (cfg.masterRxLowerPri) this.run(cfg.masterRxLowerPri, []);
    this.writeFifo('INSTANCE', name, 'MASTER_RX_LOWER_PRI', priority);
  }

  /** keepalived notify_instance_fifo / notify_group_fifo: a state line on the FIFOs only (fifo_write_vrrp_states_on_reload). */
  stateToFifo(kind: 'INSTANCE' | 'GROUP', name: string, state: NotifyState, priority: number): void {
    this.writeFifo(kind, name, state, priority);
  }

  /** keepalived send_instance_priority_notifies: a FIFO line only, MASTER_PRIORITY when Master. */
  priorityChanged(name: string, master: boolean, priority: number): void {
    this.writeFifo('INSTANCE', name, master ? 'MASTER_PRIORITY' : 'BACKUP_PRIORITY', priority);
  }

  private run(script: NotifyScript, args: string[]): void {
    void runScript(script.command, { user: script.user, timeoutMs: NOTIFY_TIMEOUT_MS, args }).then((r) => {
      if (!r.ok)
        this.log.warn('notify script failed', { script: script.command, exitCode: r.exitCode, timedOut: r.timedOut });
    });
  }

  /**
   * keepalived's fifo_open: create the FIFO (mode 0600, owned by the FIFO's user) unless it exists, start
   * the FIFO script with the path appended, then open the FIFO O_RDWR | O_NONBLOCK and keep it open:
   * O_RDWR never blocks and never fails for want of a reader, and a reader never sees EOF between two
   * lines. With no reader the pipe buffer fills and further lines are dropped (EAGAIN), never blocking.
   */
  private openFifo(f: FifoConfig): void {
    let created = false;
    try {
      if (!existsSync(f.path)) {
        // keepalived asks for 0644 under its default umask 077: the FIFO ends up 0600, so only its owner
        // (the FIFO's user, else the default script user) can read it.
        execFileSync('mkfifo', ['-m', '600', f.path], { stdio: 'pipe' });
        created = true;
        if (f.owner) chownSync(f.path, f.owner.uid, f.owner.gid);
      }
      if (f.script) {
        const script = f.script;
        let pid: number | undefined;
        const onSpawn = (p: number) => {
          pid = p;
          this.fifoScripts.add(p);
        };
        void runScript(script.command, { user: script.user, timeoutMs: 0, args: [f.path], onSpawn }).then((r) => {
          if (pid !== undefined) this.fifoScripts.delete(pid);
          this.log.info('notify FIFO script exited', { script: script.command, fifo: f.path, exitCode: r.exitCode });
        });
      }
      this.open.push({ path: f.path, fd: openFifoNoFollow(f.path), created });
    } catch (e) {
      this.log.warn('cannot open notify FIFO', { fifo: f.path, error: (e as Error).message });
      if (created) unlinkSync(f.path);
    }
  }

  private writeFifo(kind: 'INSTANCE' | 'GROUP', name: string, state: string, priority: number): void {
    const line = `${kind} "${name}" ${state} ${priority}\n`;
    for (const f of this.open) {
      try {
        writeSync(f.fd, line);
      } catch (e) {
        this.log.warn('notify fifo write failed', { fifo: f.path, error: (e as Error).message });
      }
    }
  }

  /**
   * SIGTERM to the FIFO scripts. keepalived does this first when it shuts down (script_killall before
   * notify_shutdown), so its own FIFO scripts never read the STOP lines; other readers of the FIFO do.
   */
  stopFifoScripts(): void {
    for (const pid of this.fifoScripts) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    this.fifoScripts.clear();
  }

  /** Closes the FIFOs; one vrrpd created is removed first, so a reader script looping on it stops (keepalived). */
  close(): void {
    this.stopFifoScripts();
    for (const f of this.open.splice(0)) {
      if (f.created) {
        try {
          unlinkSync(f.path);
        } catch {
          // already gone
        }
      }
      closeSync(f.fd);
    }
  }
}
