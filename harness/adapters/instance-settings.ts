import type { VrrpInstanceSettings } from '../topology/vrrp-settings.js';
import type { Setting } from './capabilities.js';
import { instanceFamily } from './settings-checks.js';

/** The settings (capabilities.ts vocabulary) an instance needs an implementation to express. */
export function instanceSettings(inst: VrrpInstanceSettings): Setting[] {
  const out: Setting[] = [inst.version === 2 ? 'v2' : 'v3', instanceFamily(inst) === 6 ? 'ipv6' : 'ipv4'];
  if (inst.unicast) out.push('unicast');
  if (inst.priority === 255) out.push('owner');
  if (!inst.preempt) out.push('nopreempt');
  if (inst.preemptDelayS > 0) out.push('preempt_delay');
  if (inst.authPass !== undefined) out.push('auth_pass');
  if (inst.advertIntervalS < 1) out.push('subsecond');
  if (inst.trackScripts.length > 0) out.push('track_script');
  return out;
}

/** One line per instance that needs a setting the implementation declared it cannot express. */
export function declaredProblems(
  impl: string,
  instances: readonly VrrpInstanceSettings[],
  unsupported: readonly Setting[],
): string[] {
  return instances.flatMap((inst) =>
    instanceSettings(inst)
      .filter((s) => unsupported.includes(s))
      .map((s) => `${inst.name} (VRID ${inst.vrid}): ${impl} cannot express ${s}`),
  );
}
