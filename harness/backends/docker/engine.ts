import { Agent } from 'node:http';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { packageRoot } from '../../../src/util/package-info.js';

/**
 * Finding a Docker engine. This machine has no system dockerd; the docker backend uses either the engine
 * DOCKER_HOST names, or the private one scripts/start-docker.sh runs (docs/docker.md:
 * no default bridge, no iptables), whose socket lives under $VRRPLAB_DOCKER_DIR (/run/vrrp-lab-docker).
 */

export function privateEngineDir(): string {
  return process.env.VRRPLAB_DOCKER_DIR || '/run/vrrp-lab-docker';
}

export function privateSocket(): string {
  return join(privateEngineDir(), 'docker.sock');
}

/** dockerode options for a DOCKER_HOST value (unix:///path or tcp://host:port); undefined if unusable. */
export function dockerOptionsFor(dockerHost: string): Docker.DockerOptions | undefined {
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const m = /^tcp:\/\/([^:/]+)(?::(\d+))?\/?$/.exec(dockerHost);
  if (m?.[1]) return { host: m[1], port: Number(m[2] ?? 2375), protocol: 'http' };
  return undefined;
}

interface Candidate {
  label: string;
  options: Docker.DockerOptions;
}

/** DOCKER_HOST wins when set (the user chose an engine); otherwise the private socket, then the system one. */
function candidates(): Candidate[] {
  const env = process.env.DOCKER_HOST;
  if (env) {
    const options = dockerOptionsFor(env);
    return options ? [{ label: `DOCKER_HOST=${env}`, options }] : [];
  }
  return [
    { label: `unix://${privateSocket()}`, options: { socketPath: privateSocket() } },
    { label: 'unix:///var/run/docker.sock', options: { socketPath: '/var/run/docker.sock' } },
  ];
}

async function ping(c: Candidate): Promise<Docker | undefined> {
  // No keep-alive: Node 20's global agent reuses idle connections, and a request that races the
  // engine closing one fails with "socket hang up" (seen mid-build). One connection per request is cheap
  // on a unix socket.
  const docker = new Docker({ ...c.options, agent: new Agent({ keepAlive: false }) } as Docker.DockerOptions);
  try {
    await docker.ping();
    return docker;
  } catch {
    return undefined;
  }
}

let cached: Promise<Docker | undefined> | undefined;

async function find(): Promise<Docker | undefined> {
  for (const c of candidates()) {
    const d = await ping(c);
    if (d) return d;
  }
  if (process.env.VRRPLAB_START_DOCKERD === '1') {
    // The script is idempotent and prints `export DOCKER_HOST=unix://...` once the engine answers.
    const r = await execa('sh', [join(packageRoot(), 'scripts', 'start-docker.sh')], { reject: false });
    const m = /export DOCKER_HOST=(\S+)/.exec(String(r.stdout));
    const options = m?.[1] ? dockerOptionsFor(m[1]) : undefined;
    if (options) return ping({ label: m?.[1] ?? '', options });
  }
  return undefined;
}

/**
 * A reachable engine, or undefined. With VRRPLAB_START_DOCKERD=1 a missing engine is started (and docker.io
 * installed) by scripts/start-docker.sh. The answer is cached per process; a failed look-up is retried.
 */
export async function ensureEngine(): Promise<Docker | undefined> {
  cached ??= find();
  const d = await cached;
  if (!d) cached = undefined;
  return d;
}

/** One line saying why no engine is reachable (undefined = there is one). */
export async function unavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'docker backend needs root (it wires container namespaces with ip/nft)';
  if (await ensureEngine()) return undefined;
  const tried = candidates()
    .map((c) => c.label)
    .join(', ');
  return (
    `docker: no engine reachable (tried ${tried || `DOCKER_HOST=${process.env.DOCKER_HOST}`}); ` +
    'run `eval "$(scripts/start-docker.sh)"` or set VRRPLAB_START_DOCKERD=1'
  );
}

/** The engine or an error carrying unavailable()'s reason. */
export async function requireEngine(): Promise<Docker> {
  const d = await ensureEngine();
  if (d) return d;
  throw new Error((await unavailable()) ?? 'docker: no engine reachable');
}
