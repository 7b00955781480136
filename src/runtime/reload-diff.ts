import type { KeepalivedConfig, VrrpInstance } from '../config/model.js';

/**
 * A stable key for "is this instance configured the same as before": the instance block and the
 * definitions of the scripts and files it tracks, with source positions removed (moving a block to
 * another line is not a change). Global GARP/advert defaults are already folded into the instance.
 */
export function configKey(inst: VrrpInstance, config: KeepalivedConfig): string {
  const scripts = inst.trackScripts.map((r) => config.vrrpScripts.find((s) => s.name === r.name));
  const files = inst.trackFiles.map((r) => config.trackFiles.find((f) => f.name === r.name));
  const processes = inst.trackProcesses.map((r) => config.trackProcesses.find((p) => p.name === r.name));
  return JSON.stringify(
    withoutPositions({ inst, scripts, files, processes, scriptUser: config.globalDefs.scriptUser }),
  );
}

function withoutPositions(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutPositions);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => k !== 'pos')
        .map(([k, x]) => [k, withoutPositions(x)]),
    );
  }
  return v;
}
