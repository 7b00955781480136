/**
 * Effective priority from tracked objects, keepalived semantics (keepalived.conf(5) "track_script"):
 * a positive weight is added while the check succeeds, a negative weight while it fails; weight 0
 * means a failure puts the instance in FAULT instead. The result is clamped to 1..254, and the address
 * owner (255) never changes priority (RFC 5798 §6.1 makes the owner's priority fixed).
 */
export interface TrackedContribution {
  name: string;
  weight: number;
  /** undefined = no result yet (counts as neither). */
  up: boolean | undefined;
}

export interface PriorityResult {
  effective: number;
  faulted: boolean;
  faultReasons: string[];
}

export function effectivePriority(base: number, tracked: readonly TrackedContribution[]): PriorityResult {
  const faultReasons = tracked.filter((t) => t.weight === 0 && t.up === false).map((t) => t.name);
  if (base === 255) return { effective: 255, faulted: faultReasons.length > 0, faultReasons };
  let p = base;
  for (const t of tracked) {
    if (t.up === undefined || t.weight === 0) continue;
    if (t.weight > 0 && t.up) p += t.weight;
    if (t.weight < 0 && !t.up) p += t.weight;
  }
  return { effective: Math.min(254, Math.max(1, p)), faulted: faultReasons.length > 0, faultReasons };
}
