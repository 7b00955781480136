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
  opts: { user?: ScriptUser; timeoutMs: number; args?: string[]; env?: Record<string, string> },
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
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, opts.timeoutMs);
    const finish = (exitCode: number | null): void => {
      clearTimeout(timer);
      resolve({ ok: !timedOut && exitCode === 0, exitCode, timedOut, durationMs: performance.now() - started });
    };
    child.on('error', () => finish(null));
    child.on('exit', (code) => finish(code));
  });
}
