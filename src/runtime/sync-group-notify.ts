import type { GlobalDefs, SyncGroup } from '../config/model.js';
import type { VrrpState } from '../core/types.js';
import type { Logger } from '../util/logger.js';
import type { Notifier, NotifyConfig } from './notify.js';
import { notifyConfigOf } from './notify-config.js';

/**
 * A sync group's own state and its GROUP notifications (keepalived 2.2.7 vrrp_sync.c): once every member
 * is in MASTER, BACKUP or FAULT (keepalived syncs the others first and notifies the group last), the group
 * takes that state if it is not in it already, runs the group's notify_* script and its generic `notify`
 * with `GROUP NAME STATE 0`, and writes `GROUP "NAME" STATE 0` to the notify FIFOs. On shutdown every
 * group reports STOP after its members.
 */
export class SyncGroupNotifier {
  private readonly states = new Map<string, VrrpState>();
  private configs = new Map<string, NotifyConfig>();

  constructor(private readonly notifier: () => Notifier | undefined) {}

  configure(groups: readonly SyncGroup[], g: GlobalDefs, log: Logger): void {
    this.configs = new Map(groups.map((group) => [group.name, notifyConfigOf(group.notify, g, log)] as const));
    for (const name of this.states.keys()) if (!this.configs.has(name)) this.states.delete(name);
  }

  memberChanged(group: string, members: readonly VrrpState[]): void {
    const config = this.configs.get(group);
    const to = members[0];
    if (!config || to === undefined || to === 'INIT' || members.some((m) => m !== to)) return;
    if (this.states.get(group) === to) return;
    this.states.set(group, to);
    this.notifier()?.notify('GROUP', group, to, 0, config);
  }

  /** fifo_write_vrrp_states_on_reload: each group's current state, on the FIFOs only. */
  statesToFifo(): void {
    for (const [group, state] of this.states) {
      if (state !== 'INIT') this.notifier()?.stateToFifo('GROUP', group, state, 0);
    }
  }

  stopAll(): void {
    for (const [group, config] of this.configs) {
      if (this.states.delete(group)) this.notifier()?.notify('GROUP', group, 'STOP', 0, config);
    }
  }
}
