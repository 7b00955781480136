import { int, pick, type Random } from '../fuzz/random.js';

/**
 * A soak's fault schedule, drawn from a seed: the same seed gives the same episodes (kind, router, how
 * long), so a violation found once can be replayed. Each episode is fault → hold → heal → steady window.
 */
export const FAULT_KINDS = [
  'loss',
  'multicast-cut',
  'link-flap',
  'freeze',
  'crash',
  'nginx-fail',
  'graceful-restart',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Episode {
  index: number;
  kind: FaultKind;
  host: string;
  /** How long the fault lasts before it is healed. */
  holdMs: number;
  /** netem loss for 'loss'. */
  lossPct?: number;
}

/** Episodes until their planned time (hold + the settle bound + a steady window) fills `durationMs`. */
export function planSoak(
  r: Random,
  o: { durationMs: number; routers: readonly string[]; kinds?: readonly FaultKind[]; episodeOverheadMs: number },
): Episode[] {
  const out: Episode[] = [];
  let planned = 0;
  while (planned < o.durationMs) {
    const kind = pick(r, o.kinds ?? FAULT_KINDS);
    const e: Episode = { index: out.length, kind, host: pick(r, o.routers), holdMs: int(r, 500, 3000) };
    if (kind === 'loss') e.lossPct = int(r, 10, 60);
    out.push(e);
    planned += e.holdMs + o.episodeOverheadMs;
  }
  return out;
}
