import type Docker from 'dockerode';
import type { GenericContainer as GenericContainerType, StartedTestContainer } from 'testcontainers';
import { VrrpLabError } from '../../../src/util/errors.js';

/**
 * The container lifecycle through testcontainers (GenericContainer: build from a Dockerfile, labels, bind
 * mounts, tmpfs, capabilities, a wait strategy, exec). Ryuk, its reaper container, needs an image from a
 * registry: it stays disabled and `vrrp-lab clean` reaps by run label instead. testcontainers finds its
 * engine through DOCKER_HOST: the one the harness chose (engine.ts) is exported for it before first use.
 */
let loaded: Promise<typeof import('testcontainers')> | undefined;

export function useEngine(docker: Docker): void {
  const socket = (docker.modem as { socketPath?: string }).socketPath;
  if (!process.env.DOCKER_HOST && socket) process.env.DOCKER_HOST = `unix://${socket}`;
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  // No port is ever mapped (containers run with --network none): the host testcontainers would probe for is moot.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
}

export async function testcontainers(docker: Docker): Promise<typeof import('testcontainers')> {
  useEngine(docker);
  loaded ??= import('testcontainers');
  return loaded;
}

/**
 * Build `ref` from `dockerfile` in `context` with build args, kept after the process exits (the run's
 * teardown or `vrrp-lab clean` removes it by label).
 */
export async function buildImage(
  docker: Docker,
  o: { context: string; dockerfile: string; ref: string; buildArgs: Record<string, string> },
): Promise<void> {
  const { GenericContainer } = await testcontainers(docker);
  await GenericContainer.fromDockerfile(o.context, o.dockerfile)
    .withBuildArgs(o.buildArgs)
    .build(o.ref, { deleteOnExit: false });
}

export interface HostContainerSpec {
  image: string;
  name: string;
  hostname: string;
  command: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  binds: Array<{ source: string; target: string; mode: 'ro' | 'rw' }>;
  tmpfs: Record<string, string>;
  capabilities: string[];
  /** What testcontainers has no builder method for: written into the create options' HostConfig. */
  hostConfig: Pick<Docker.HostConfig, 'PidMode' | 'Sysctls' | 'MaskedPaths' | 'ReadonlyPaths'>;
  /** A command that succeeds once the container can run the harness's tools. */
  readyCommand: string[];
}

/** Create and start one host's container; resolves once the ready command succeeds in it. */
export async function startHostContainer(docker: Docker, s: HostContainerSpec): Promise<StartedTestContainer> {
  const { GenericContainer, Wait } = await testcontainers(docker);
  // PidMode, sysctls and unmasked /proc paths have no builder method; GenericContainer keeps them in its
  // (protected) hostConfig, which a subclass may extend.
  class HostContainer extends GenericContainer {
    withHostConfig(extra: HostContainerSpec['hostConfig'], hostname: string): this {
      Object.assign(this.hostConfig, extra);
      this.createOpts.Hostname = hostname;
      return this;
    }
  }
  const c: GenericContainerType = new HostContainer(s.image)
    .withHostConfig(s.hostConfig, s.hostname)
    .withName(s.name)
    .withCommand(s.command)
    .withEnvironment(s.env)
    .withLabels(s.labels)
    .withNetworkMode('none')
    .withBindMounts(s.binds)
    .withTmpFs(s.tmpfs)
    .withAddedCapabilities(...s.capabilities)
    .withWaitStrategy(Wait.forSuccessfulCommand(s.readyCommand.join(' ')))
    .withStartupTimeout(30_000);
  try {
    return await c.start();
  } catch (err) {
    throw new VrrpLabError(`container ${s.name} did not start: ${(err as Error).message}`, { cause: err });
  }
}
