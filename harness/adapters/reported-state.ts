import { z } from 'zod';
import type { AdapterHost, ReportedInstanceState } from './types.js';

/**
 * What an adapter file's `state` command may print: a JSON array of instances, or `{"instances": [...]}`,
 * each with its VRID and state (MASTER, BACKUP, INIT, FAULT in any case; "Initialize" as FRR says it).
 */
const instanceSchema = z.looseObject({
  instance: z.string().optional(),
  name: z.string().optional(),
  vrid: z.number().int(),
  state: z.string(),
  effectivePriority: z.number().int().optional(),
});
const outputSchema = z.union([z.array(instanceSchema), z.looseObject({ instances: z.array(instanceSchema) })]);

const STATES: Record<string, ReportedInstanceState['state']> = {
  MASTER: 'MASTER',
  BACKUP: 'BACKUP',
  INIT: 'INIT',
  INITIALIZE: 'INIT',
  FAULT: 'FAULT',
};

export function parseReportedStates(host: Pick<AdapterHost, 'instances'>, json: string): ReportedInstanceState[] {
  const parsed = outputSchema.parse(JSON.parse(json));
  const list = Array.isArray(parsed) ? parsed : parsed.instances;
  return list.map((i) => ({
    instance: i.instance ?? i.name ?? host.instances.find((x) => x.vrid === i.vrid)?.name ?? '?',
    vrid: i.vrid,
    state: STATES[i.state.toUpperCase()] ?? 'UNKNOWN',
    ...(i.effectivePriority === undefined ? {} : { effectivePriority: i.effectivePriority }),
  }));
}

export function unknownStates(host: Pick<AdapterHost, 'instances'>): ReportedInstanceState[] {
  return host.instances.map((i) => ({ instance: i.name, vrid: i.vrid, state: 'UNKNOWN' as const }));
}
