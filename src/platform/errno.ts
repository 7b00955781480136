/** errno number ↔ name, for errors that arrive as numbers (rtnetlink NLMSG_ERROR carries -errno). */
import { constants } from 'node:os';

const names = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) {
  if (!names.has(value)) names.set(value, name);
}

export function errnoName(errno: number): string {
  return names.get(Math.abs(errno)) ?? `E${Math.abs(errno)}`;
}

/** Builds an Error shaped like the addon's (code, errno, syscall), so one mapping handles both. */
export function errnoError(
  errno: number,
  syscall: string,
  detail?: string,
): Error & {
  code: string;
  errno: number;
  syscall: string;
} {
  const code = errnoName(errno);
  const e = new Error(`${syscall} ${code}${detail ? `: ${detail}` : ''}`) as Error & {
    code: string;
    errno: number;
    syscall: string;
  };
  e.code = code;
  e.errno = Math.abs(errno);
  e.syscall = syscall;
  return e;
}
