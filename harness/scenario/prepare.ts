import type { ImplName } from '../adapters/types.js';
import type { Topology } from '../topology/index.js';
import type { SessionFactory } from './session.js';
import type { BackendName } from './types.js';

export type Prepared = { factory: SessionFactory; skipReason?: undefined } | { skipReason: string };

/**
 * The checks before a lab is built, shared by the scenario runner and the VrrpLab API: the backend's
 * session factory, whether the backend can run here, and whether the implementation can express the
 * topology's settings. A reason instead of a factory means "do not build": a scenario skips with it, the
 * library API throws it.
 */
export async function prepareSession(
  topology: Topology,
  o: { impl: ImplName; backend: BackendName; sessions?: SessionFactory },
): Promise<Prepared> {
  const factory = o.sessions ?? (await (await import('./sessions.js')).sessionFactory(o.backend));
  const unavailable = await factory.unavailable();
  if (unavailable) return { skipReason: unavailable };
  const unsupported = await factory.unsupported(topology, o.impl);
  if (unsupported.length > 0) return { skipReason: `${o.impl} cannot run this topology: ${unsupported.join('; ')}` };
  return { factory };
}
