import { resolveAdapter } from '../../adapters/registry.js';
import { netnsSessionFactory, openLabSession } from '../../scenario/netns-session.js';
import type { OpenOptions, SessionFactory } from '../../scenario/session.js';
import { unavailable as engineUnavailable, requireEngine } from './engine.js';
import { DockerLab } from './lab.js';

/**
 * The scenario runner's entry point for `--backend docker` (loaded by harness/scenario/sessions.ts): the
 * netns backend's session over a DockerLab. Each container's netns is attached under the netns backend's
 * names, so the observers are the same: holders from /proc/<container init>/net (the init lives in the
 * container's netns), FRR's protodown probe through the attached netns, captures in the switch netns.
 */
export async function dockerSessionFactory(): Promise<SessionFactory> {
  // What an implementation can express does not depend on where it runs: the netns factory's static check.
  const staticChecks = netnsSessionFactory();
  return {
    backend: 'docker',
    unavailable: () => engineUnavailable(),
    unsupported: (topology, impl) => staticChecks.unsupported(topology, impl),
    open: async (topology, o: OpenOptions) => {
      const lab = await DockerLab.build(topology, {
        impl: await resolveAdapter(o.impl),
        docker: await requireEngine(),
        ...(o.runsDir === undefined ? {} : { runsDir: o.runsDir }),
      });
      return openLabSession(lab, topology, o);
    },
  };
}
