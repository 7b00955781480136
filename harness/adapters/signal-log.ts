import type { AdapterHost, ImplName } from './types.js';

/**
 * When the adapter actually sent a signal. stop() resolves only once the daemon has exited, and
 * keepalived lingers ~1 s after SIGTERM (docs/quirks.md Q4), so a harness that starts its clock when
 * stop() returns measures ~1 s too much: it must take T0 from here instead.
 */
export interface SignalRecord {
  impl: ImplName;
  action: 'stop' | 'kill' | 'freeze' | 'thaw';
  /** Wall-clock ms (epoch, sub-ms precision) just before the first signal of the action was sent. */
  atMs: number;
}

const records = new Map<string, SignalRecord>();

export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function recordSignal(host: AdapterHost, impl: ImplName, action: SignalRecord['action']): SignalRecord {
  const rec = { impl, action, atMs: nowMs() };
  records.set(host.dir, rec);
  return rec;
}

/** The last stop/kill/freeze/thaw signal sent to this host's implementation, if any. */
export function lastSignal(host: AdapterHost): SignalRecord | undefined {
  return records.get(host.dir);
}
