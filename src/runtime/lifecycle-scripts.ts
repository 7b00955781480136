import type { GlobalDefs } from '../config/model.js';
import type { Logger } from '../util/logger.js';
import { runAs, runScript } from './tracking/script-runner.js';

/**
 * keepalived's `startup_script` / `shutdown_script` (main.c): run by the parent before it starts the VRRP
 * process, and after that process has stopped; keepalived waits for the script, up to its timeout (a script
 * still running then is killed), and carries on whatever it returned. Run as any script is: its own
 * `user [group]`, else script_user, through script security.
 */
export async function runLifecycleScript(which: 'startup' | 'shutdown', g: GlobalDefs, log: Logger): Promise<void> {
  const cmd = which === 'startup' ? g.startupScript : g.shutdownScript;
  if (!cmd) return;
  const timeoutS = which === 'startup' ? g.startupScriptTimeout : g.shutdownScriptTimeout;
  const user = runAs(cmd, g.scriptUser, (m) => log.warn(`${m}; running the ${which} script as root`));
  const r = await runScript(cmd.command, { user, timeoutMs: timeoutS * 1000 });
  if (r.timedOut) log.warn(`${which} script timed out`, { script: cmd.command, timeoutS });
  else if (!r.ok) log.info(`${which} script failed`, { script: cmd.command, exitCode: r.exitCode });
  else log.debug(`${which} script succeeded`, { script: cmd.command });
}
