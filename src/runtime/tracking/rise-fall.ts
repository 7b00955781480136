/**
 * keepalived's rise/fall hysteresis for a tracked check: the status flips to "up" after `rise`
 * consecutive successes and to "down" after `fall` consecutive failures. The first result decides
 * the initial status at once (keepalived 2.2.7: a failing script at startup faults the instance on
 * its first result, docs/quirks.md Q14).
 */
export interface RiseFallState {
  status: 'unknown' | 'up' | 'down';
  successes: number;
  failures: number;
}

export const initialRiseFall: RiseFallState = { status: 'unknown', successes: 0, failures: 0 };

export function applyResult(
  s: RiseFallState,
  ok: boolean,
  rise: number,
  fall: number,
): { state: RiseFallState; changed: boolean } {
  const successes = ok ? s.successes + 1 : 0;
  const failures = ok ? 0 : s.failures + 1;
  let status = s.status;
  if (s.status === 'unknown') status = ok ? 'up' : 'down';
  else if (ok && s.status === 'down' && successes >= rise) status = 'up';
  else if (!ok && s.status === 'up' && failures >= fall) status = 'down';
  return { state: { status, successes, failures }, changed: status !== s.status };
}
