import { type Stats, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../util/logger.js';

/**
 * keepalived's script security, the one check every script path goes through (track scripts and notify
 * scripts, src/runtime/tracking/script-runner.ts). A script that runs as root (no script user, uid 0 or gid
 * 0) may be replaced by whoever can write it or any directory above it; keepalived calls such a script
 * insecure when the file or a directory on its path is owned by a non-root user, or is writable by a
 * non-root group or by everyone (a sticky directory such as /tmp excepted). With `enable_script_security`
 * an insecure script is refused (never run); without it, it runs and the log says why it should not.
 */
export interface ScriptIdentity {
  uid: number;
  gid: number;
}

/** PATH for scripts (and for finding a bare command name), as keepalived uses when it has none. */
export const SCRIPT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

let enforce = false;
let log: Logger | undefined;
const reported = new Set<string>();

/** Set from the configuration on every (re)load: `enable_script_security`, and where to say what was refused. */
export function configureScriptSecurity(enabled: boolean, logger: Logger): void {
  enforce = enabled;
  log = logger;
  reported.clear();
}

/** The file a command name runs: itself when it has a slash, else the first executable match on SCRIPT_PATH. */
export function resolveCommand(name: string, stat: (p: string) => Stats | undefined = statOrUndefined): string {
  if (name.includes('/')) return name;
  for (const dir of SCRIPT_PATH.split(':')) {
    const p = join(dir, name);
    const st = stat(p);
    if (st?.isFile() && st.mode & 0o111) return p;
  }
  return name;
}

/**
 * Why `file`, run as `as` (undefined = root), is insecure, or undefined when it is not: the first of the
 * file and its directories (from / down) that another user could change.
 */
export function insecurityOf(
  file: string,
  as: ScriptIdentity | undefined,
  stat: (p: string) => Stats | undefined = statOrUndefined,
): string | undefined {
  const st = stat(file);
  const setRoot = st !== undefined && ((st.uid === 0 && st.mode & 0o4000) || (st.gid === 0 && st.mode & 0o2000));
  const asRoot = as === undefined || as.uid === 0 || as.gid === 0 || setRoot;
  if (!asRoot) return undefined;
  const chain: string[] = [];
  for (let p = resolve(file); ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of chain) {
    const s = stat(p);
    if (!s) return `${p} does not exist`;
    const sticky = (s.mode & 0o1000) !== 0 && !s.isFile();
    if (s.uid !== 0) return `${p} is owned by uid ${s.uid}, not root`;
    if (!sticky && s.gid !== 0 && s.mode & 0o020) return `${p} is writable by group ${s.gid}`;
    if (!sticky && s.mode & 0o002) return `${p} is writable by everyone`;
  }
  return undefined;
}

/**
 * The verdict for one run: a reason to refuse, or undefined to go ahead. Each insecure script is logged once
 * per configuration: as an error when refused, as a warning when enable_script_security is off.
 */
export function scriptRefusal(argv0: string, as: ScriptIdentity | undefined): string | undefined {
  const file = resolveCommand(argv0);
  const why = insecurityOf(file, as);
  if (why === undefined) return undefined;
  const refused = `script ${file} refused: it would run as root and ${why} (enable_script_security)`;
  if (!reported.has(file)) {
    reported.add(file);
    if (enforce) log?.error(refused, { script: file });
    else
      log?.warn(`SECURITY: script ${file} runs as root and ${why}; enable_script_security would refuse it`, {
        script: file,
      });
  }
  return enforce ? refused : undefined;
}

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
