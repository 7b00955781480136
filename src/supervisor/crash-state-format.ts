/**
 * What the vrrpd worker tells its supervisor (src/supervisor/supervisor.ts) so the supervisor can clean up
 * after a worker that died without its shutdown: the file is rewritten on every state transition. Types and
 * a tolerant parser only, so the supervisor loads nothing of the daemon to read it.
 */
export interface CrashStateInstance {
  name: string;
  state: string;
  ifname: string;
  family: 4 | 6;
  /** The address adverts are sent from (the raw socket binds it). */
  source: string;
  /** Every VIP of the instance (removed whatever the state: removing an absent address is harmless). */
  vips: { dev: string; cidr: string }[];
  /** The priority-0 advert, pre-encoded, one per destination (group or each unicast peer), hex. */
  priorityZero: { dst: string; hex: string }[];
}

export interface CrashState {
  version: 1;
  workerPid: number;
  writtenAtMonoMs: number;
  instances: CrashStateInstance[];
}

/** Parses the file's text; undefined when it is not a crash state this code understands. */
export function parseCrashState(text: string): CrashState | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const s = v as Partial<CrashState>;
  if (s?.version !== 1 || !Array.isArray(s.instances)) return undefined;
  return s as CrashState;
}
