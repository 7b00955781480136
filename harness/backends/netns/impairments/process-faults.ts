import type { AdapterHost, ImplementationAdapter } from '../../../adapters/types.js';
import { type Impairment, impairment } from './handle.js';
import { type LinkSide, setLinkState } from './link-state.js';
import type { LinkTarget } from './target.js';

/** Freeze the host's VRRP daemon (SIGSTOP through the adapter); undo thaws it (SIGCONT). */
export async function freezeHost(adapter: ImplementationAdapter, host: AdapterHost): Promise<Impairment> {
  await adapter.freeze(host);
  return impairment(`freeze ${adapter.name} on ${host.name}`, () => adapter.thaw(host));
}

export interface CrashOptions {
  side?: LinkSide;
  /** On undo, bring the link back up and start the implementation again (default true). */
  restartOnUndo?: boolean;
}

/**
 * Crash a host: kill its implementation without any cleanup (SIGKILL) and take its link down, so the
 * VIPs a dead keepalived leaves configured (docs/quirks.md Q2) cannot answer ARP any more.
 */
export async function crashHost(
  adapter: ImplementationAdapter,
  host: AdapterHost,
  link: LinkTarget,
  o: CrashOptions = {},
): Promise<Impairment> {
  const side = o.side ?? 'switch';
  await adapter.kill(host);
  await setLinkState(link, side, false);
  return impairment(`crash ${adapter.name} on ${host.name}`, async () => {
    await setLinkState(link, side, true);
    if (o.restartOnUndo ?? true) {
      const withCleanup = adapter as ImplementationAdapter & { cleanupStale?: (h: AdapterHost) => Promise<void> };
      await withCleanup.cleanupStale?.(host);
      await adapter.start(host);
    }
  });
}
