import type { FifoSpec, GlobalDefs, NotifyScripts, ScriptCommand } from '../config/model.js';
import type { Logger } from '../util/logger.js';
import type { FifoConfig, NotifyConfig, NotifyScript } from './notify.js';
import { runAs } from './tracking/script-runner.js';

/**
 * From the parsed notify settings to what the Notifier runs: each script with the user keepalived would
 * run it as (its own `user [group]`, else script_user, else the unprivileged default), like check scripts.
 */
export function notifyConfigOf(notify: NotifyScripts, g: GlobalDefs, log: Logger): NotifyConfig {
  const out: NotifyConfig = {};
  const set = (key: Exclude<keyof NotifyConfig, 'notifyDeleted'>, cmd: ScriptCommand | undefined) => {
    if (cmd) out[key] = script(cmd, g, log);
  };
  set('master', notify.master);
  set('backup', notify.backup);
  set('fault', notify.fault);
  set('stop', notify.stop);
  set('deleted', notify.deleted);
  if (notify.notifyDeleted) out.notifyDeleted = true;
  set('generic', notify.any);
  set('masterRxLowerPri', notify.masterRxLowerPri);
  return out;
}

/** notify_fifo and vrrp_notify_fifo (keepalived writes every line to both), with their scripts. */
export function fifoConfigs(g: GlobalDefs, log: Logger): FifoConfig[] {
  const out: FifoConfig[] = [];
  const add = (spec: FifoSpec | undefined, cmd: ScriptCommand | undefined) => {
    if (!spec) return;
    const owner = runAs(spec, g.scriptUser, (m) => log.warn(`${m}; notify FIFO ${spec.path} stays root's`));
    const fifo: FifoConfig = { path: spec.path, owner };
    if (cmd) fifo.script = script(cmd, g, log);
    out.push(fifo);
  };
  add(g.notifyFifo, g.notifyFifoScript);
  add(g.vrrpNotifyFifo, g.vrrpNotifyFifoScript);
  return out;
}

function script(cmd: ScriptCommand, g: GlobalDefs, log: Logger): NotifyScript {
  return {
    command: cmd.command,
    user: runAs(cmd, g.scriptUser, (m) => log.warn(`${m}; running notify script '${cmd.command}' as root`)),
  };
}
