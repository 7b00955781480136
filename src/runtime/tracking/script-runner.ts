import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { splitArgv } from '../../config/values.js';
import { resolveCommand, SCRIPT_PATH, scriptRefusal } from '../script-security.js';

export interface ScriptUser {
  name: string;
  uid: number;
  gid: number;
}

/** Looks a user (and optional group) up in /etc/passwd and /etc/group; throws with the name when unknown. */
export function resolveScriptUser(user: string, group?: string): ScriptUser {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').find((l) => l.split(':')[0] === user);
  if (!entry) throw new Error(`script user '${user}' does not exist`);
  const [, , uid, gid] = entry.split(':');
  let groupId = Number(gid);
  if (group) {
    const g = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[0] === group);
    if (!g) throw new Error(`script group '${group}' does not exist`);
    groupId = Number(g.split(':')[2]);
  }
  return { name: user, uid: Number(uid), gid: groupId };
}

/** Scripts run as this user unless script_user or the script's own user says otherwise (least privilege). */
export const DEFAULT_SCRIPT_USER = 'nobody';

/**
 * Who runs a check or notify script, as keepalived decides it (notify_script_init / set_script_uid_gid):
 * the script's own `user [group]`, else global_defs script_user, else the default user. An unknown user
 * is logged and the script runs as root, as before.
 */
export function runAs(
  own: { user?: string; group?: string },
  scriptUser: { user: string; group?: string } | undefined,
  onUnknown: (message: string) => void,
): ScriptUser | undefined {
  const name = own.user ?? scriptUser?.user ?? DEFAULT_SCRIPT_USER;
  const group = own.user ? own.group : scriptUser?.group;
  try {
    return resolveScriptUser(name, group);
  } catch (e) {
    onUnknown((e as Error).message);
    return undefined;
  }
}

export interface ScriptResult {
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Not run: script security refused it (script-security.ts). */
  refused?: string;
}

/**
 * Runs one check or notify command as `user`, killing it (and its process group) after `timeoutMs`. Like
 * keepalived, without a shell: the command is split into words (single quotes keep spaces) and exec'd, and
 * extra arguments are passed as they are, so nothing in them is ever interpreted. Script security
 * (script-security.ts) may refuse it first.
 */
export function runScript(
  command: string,
  opts: {
    user?: ScriptUser | undefined;
    timeoutMs: number;
    args?: string[];
    env?: Record<string, string>;
    /** Called with the pid of the script's process group leader once it is started. */
    onSpawn?: (pid: number) => void;
  },
): Promise<ScriptResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const [name, ...words] = [...splitArgv(command), ...(opts.args ?? [])];
    const file = name === undefined ? undefined : resolveCommand(name);
    const refused = file === undefined ? 'empty command' : scriptRefusal(file, opts.user);
    if (refused !== undefined) {
      resolve({ ok: false, exitCode: null, timedOut: false, durationMs: 0, refused });
      return;
    }
    const child = spawn(file as string, words, {
      stdio: 'ignore',
      detached: true,
      env: { PATH: SCRIPT_PATH, ...opts.env },
      ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
    });
    if (child.pid) opts.onSpawn?.(child.pid);
    let timedOut = false;
    // timeoutMs 0: no limit (keepalived runs a notify FIFO script for as long as the FIFO is open).
    const timer =
      opts.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            try {
              if (child.pid) process.kill(-child.pid, 'SIGKILL');
            } catch {
              // already gone
            }
          }, opts.timeoutMs)
        : undefined;
    const finish = (exitCode: number | null): void => {
      clearTimeout(timer);
      resolve({ ok: !timedOut && exitCode === 0, exitCode, timedOut, durationMs: performance.now() - started });
    };
    child.on('error', () => finish(null));
    child.on('exit', (code) => finish(code));
  });
}
