/**
 * Effective priority from tracked objects, keepalived semantics (keepalived.conf(5) "track_script",
 * "track_interface", "track_file"): each object contributes a priority delta or a fault. The result is
 * clamped to 1..254, and the address owner (255) never changes priority (RFC 5798 §6.1).
 */
export interface TrackedContribution {
  name: string;
  /** Priority delta while in the current state; undefined = no result yet. */
  delta: number | undefined;
  /** The object puts the instance in FAULT (weight 0 and failed, or a track_file value below -253). */
  faulted: boolean;
}

export interface PriorityResult {
  effective: number;
  faulted: boolean;
  faultReasons: string[];
}

export function effectivePriority(base: number, tracked: readonly TrackedContribution[]): PriorityResult {
  const faultReasons = tracked.filter((t) => t.faulted).map((t) => t.name);
  if (base === 255) return { effective: 255, faulted: faultReasons.length > 0, faultReasons };
  const sum = tracked.reduce((p, t) => p + (t.delta ?? 0), base);
  return { effective: Math.min(254, Math.max(1, sum)), faulted: faultReasons.length > 0, faultReasons };
}

/**
 * A check (script or interface) with keepalived's weight rules: a positive weight is added while the check
 * succeeds, a negative weight while it fails, weight 0 turns a failure into FAULT. `reverse` inverts the
 * direction of the adjustment.
 */
export function checkContribution(
  name: string,
  weight: number,
  reverse: boolean,
  up: boolean | undefined,
): TrackedContribution {
  if (up === undefined) return { name, delta: undefined, faulted: false };
  if (weight === 0) return { name, delta: 0, faulted: !up };
  const w = reverse ? -weight : weight;
  if (w > 0) return { name, delta: up ? w : 0, faulted: false };
  return { name, delta: up ? 0 : w, faulted: false };
}

/** track_file: value × weight is added; weight 0 faults on a non-zero value; a result below -253 faults. */
export function fileContribution(
  name: string,
  weight: number,
  reverse: boolean,
  value: number | undefined,
): TrackedContribution {
  if (value === undefined) return { name, delta: undefined, faulted: false };
  if (weight === 0) return { name, delta: 0, faulted: value !== 0 };
  const delta = value * (reverse ? -weight : weight);
  return { name, delta, faulted: delta < -253 };
}

/**
 * track_process: like a check, except that `weight 0 reverse` faults while the quorum is *up*
 * (keepalived.conf(5) vrrp_track_process).
 */
export function processContribution(
  name: string,
  weight: number,
  reverse: boolean,
  up: boolean | undefined,
): TrackedContribution {
  if (weight === 0 && up !== undefined) return { name, delta: 0, faulted: reverse ? up : !up };
  return checkContribution(name, weight, reverse, up);
}
