import { EventEmitter } from 'node:events';
import type { Logger } from '../../util/logger.js';
import { applyResult, initialRiseFall, type RiseFallState } from './rise-fall.js';
import { runScript, type ScriptUser } from './script-runner.js';

export interface ScriptCheck {
  name: string;
  script: string;
  intervalMs: number;
  timeoutMs: number;
  rise: number;
  fall: number;
  user?: ScriptUser;
}

/**
 * Runs one vrrp_script periodically and emits 'change' (up: boolean) when its rise/fall status flips.
 * A run never overlaps the previous one: the next run is scheduled when the current one finished.
 */
export class ScriptTracker extends EventEmitter<{ change: [up: boolean] }> {
  private state: RiseFallState = initialRiseFall;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly check: ScriptCheck,
    private readonly log: Logger,
  ) {
    super();
  }

  get up(): boolean | undefined {
    return this.state.status === 'unknown' ? undefined : this.state.status === 'up';
  }

  start(): void {
    this.stopped = false;
    void this.runOnce();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async runOnce(): Promise<void> {
    if (this.stopped) return;
    const r = await runScript(this.check.script, { timeoutMs: this.check.timeoutMs, user: this.check.user });
    if (this.stopped) return;
    const { state, changed } = applyResult(this.state, r.ok, this.check.rise, this.check.fall);
    this.state = state;
    if (changed) {
      this.log.info('track_script status changed', {
        script: this.check.name,
        status: state.status,
        exitCode: r.exitCode,
        timedOut: r.timedOut,
      });
      this.emit('change', state.status === 'up');
    }
    this.timer = setTimeout(() => void this.runOnce(), this.check.intervalMs);
  }
}
