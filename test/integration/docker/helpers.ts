import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { ensureEngine, unavailable } from '../../../harness/backends/docker/engine.js';
import { LABEL_HOST, LABEL_RUN_ID } from '../../../harness/backends/docker/names.js';

/**
 * Whether the docker tests skip: they need root and a reachable engine. CI sets VRRPLAB_REQUIRE_DOCKER=1,
 * and then a missing engine fails the tests (with the reason) instead of skipping them.
 */
export const REQUIRED = process.env.VRRPLAB_REQUIRE_DOCKER === '1';
export const reason = await unavailable();
export const skip = reason !== undefined && !REQUIRED;
if (skip) console.warn(`docker integration tests skipped: ${reason}`);

export async function engine(): Promise<Docker> {
  const d = await ensureEngine();
  if (!d) throw new Error(`VRRPLAB_REQUIRE_DOCKER=1 but ${reason ?? 'no engine'}`);
  return d;
}

/** A private runs directory per test file, so cleanups in one file never see another's runs. */
export async function tempRunsDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'vrrp-lab-dit-'));
}

/**
 * Every container labelled with the run id; `hostsOnly` only the hosts' containers. The classic builder's
 * step containers carry the labels of the Dockerfile's LABEL step too, while the run's image is building.
 */
export async function containersOfRun(docker: Docker, rid: string, o: { hostsOnly?: boolean } = {}): Promise<string[]> {
  const label = [`${LABEL_RUN_ID}=${rid}`, ...(o.hostsOnly ? [LABEL_HOST] : [])];
  const list = await docker.listContainers({ all: true, filters: { label } });
  return list.flatMap((c) => c.Names);
}

/** Every image layer labelled with the run id; `tagged` only the named ones (the run's image itself). */
export async function imagesOfRun(docker: Docker, rid: string, o: { tagged?: boolean } = {}): Promise<string[]> {
  const list = await docker.listImages({ all: true, filters: { label: [`${LABEL_RUN_ID}=${rid}`] } });
  return list.filter((i) => !o.tagged || (i.RepoTags ?? []).some((t) => t !== '<none>:<none>')).map((i) => i.Id);
}

export async function netnsOfRun(rid: string): Promise<string[]> {
  const names = await readdir('/run/netns').catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(`vl-${rid}-`));
}
