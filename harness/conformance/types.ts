import type { Setting } from '../adapters/capabilities.js';

/**
 * The conformance suite's vocabulary: a case (an RFC requirement with an id of implementations' §6 list), its
 * variants (`R1/v3-ipv4`), and the result of running one variant against one implementation with its evidence.
 */

export type CaseStatus = 'pass' | 'fail' | 'deviation' | 'skip';

export type GroupName = 'transmit' | 'receive' | 'state' | 'dataplane' | 'interop';

/** One runnable variant of a case. */
export interface CaseVariant {
  /** `ID/variant`, e.g. `R1/v3-ipv4`. */
  id: string;
  /** The case id (`R1`). */
  caseId: string;
  rfc: string;
  title: string;
  group: GroupName;
  /** Settings the variant needs the implementation to express. */
  needs: readonly Setting[];
}

/** A packet that decided a result, as one readable line, at a time relative to the case's start. */
export interface EvidencePacket {
  tMs: number;
  summary: string;
}

/** One event of a case's small timeline (stimulus sent, advert seen, state inferred...). */
export interface TimelineEvent {
  tMs: number;
  label: string;
  /** Who did it: 'dut', 'tester', a host name. */
  actor: string;
}

export type Measurements = Record<string, number | string>;

/** What an oracle decides from observations: pass or fail, why, and the values it measured. */
export interface Verdict {
  status: 'pass' | 'fail';
  detail: string;
  measurements: Measurements;
  packets: EvidencePacket[];
  timeline: TimelineEvent[];
}

export interface CaseResult {
  id: string;
  caseId: string;
  rfc: string;
  title: string;
  status: CaseStatus;
  detail: string;
  measurements: Measurements;
  packets: EvidencePacket[];
  timeline: TimelineEvent[];
  durationMs: number;
  /** For a deviation: where the implementation documents or implements the difference. */
  reference?: string;
}

export interface ImplementationResults {
  name: string;
  cases: CaseResult[];
  /** Wall time of the whole run against this implementation. */
  wallMs: number;
}

/** Progress of a run, for the CLI's lines. */
export interface ConformanceProgress {
  impl: string;
  id: string;
  status: CaseStatus | 'start';
  elapsedMs: number;
  detail?: string;
}
