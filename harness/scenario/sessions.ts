import type { SessionFactory } from './session.js';
import type { BackendName } from './types.js';

/**
 * A backend that is not there makes every scenario 'skip' with the reason; it is never faked with another
 * backend, so a report that says "docker" means the scenarios ran in containers.
 */
export function unavailableFactory(backend: BackendName, reason: string): SessionFactory {
  return {
    backend,
    unavailable: async () => reason,
    unsupported: async () => [],
    open: async () => {
      throw new Error(reason);
    },
  };
}

export async function sessionFactory(backend: BackendName): Promise<SessionFactory> {
  if (backend === 'netns') return (await import('./netns-session.js')).netnsSessionFactory();
  // The docker backend is optional: look for its session module at run time rather than import it statically.
  const path = '../backends/docker/scenario-session.js';
  try {
    const mod = (await import(path)) as { dockerSessionFactory?: () => Promise<SessionFactory> };
    if (mod.dockerSessionFactory) return await mod.dockerSessionFactory();
  } catch {
    // fall through to the explanation below
  }
  return unavailableFactory(
    'docker',
    'docker backend not available: this build has no harness/backends/docker scenario session',
  );
}
