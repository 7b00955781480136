import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { VrrpLabError } from '../../../src/util/errors.js';
import type { Topology } from '../../topology/types.js';

/**
 * The run's durable record. It is written BEFORE each resource is created, so a harness killed with
 * SIGKILL at any moment leaves a manifest naming everything that may exist; clean() needs nothing
 * else (not even the topology file, cf. containerlab#1978).
 */
export const manifestSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  createdAt: z.string(),
  /** Run directory (absolute). */
  dir: z.string(),
  topologyName: z.string(),
  topologyFile: z.string().optional(),
  impl: z.string().optional(),
  /** Absolute path of the adapter file `impl` came from, so `down` in another process can load it again. */
  implSource: z.string().optional(),
  /** Where the hosts run; absent = netns (manifests written before the docker backend recorded it). */
  backend: z.enum(['netns', 'docker']).optional(),
  /** The harness process that owns the run; pid + start time (pid reuse safe). */
  owner: z.object({ pid: z.number().int(), startTime: z.number() }),
  /** Set once `vrrp-lab up` has finished: the run then outlives its owner until `down`. */
  persistent: z.boolean(),
  /**
   * `kept`: torn down, but the directory (logs, captures, manifest) stays for a post-mortem — a failed
   * scenario's; `vrrp-lab clean` removes it once its owner is gone.
   */
  state: z.enum(['building', 'up', 'destroying', 'kept']),
  /** Namespaces that may exist (recorded before `ip netns add`). */
  netns: z.array(z.string()),
  switchNetns: z.string(),
  /** Long-running processes started for the run (anchors, nginx, daemons). */
  processes: z.array(
    z.object({
      pid: z.number().int(),
      role: z.string(),
      host: z.string().optional(),
      startTime: z.number().optional(),
    }),
  ),
  /** Host name → anchor pid (observers read /proc/<pid>/net/* of it). */
  anchors: z.record(z.string(), z.number().int()),
  topology: z.custom<Topology>((v) => typeof v === 'object' && v !== null),
});

export type Manifest = z.infer<typeof manifestSchema>;

export async function readManifest(path: string): Promise<Manifest> {
  const text = await readFile(path, 'utf8');
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new VrrpLabError(`${path}: not a vrrp-lab manifest: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Write atomically (temp file + rename): a reader or a crash never sees half a manifest. */
export async function writeManifest(path: string, m: Manifest): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(m, null, 2)}\n`);
  await rename(tmp, path);
}

/** Serialises updates from concurrent tasks of one process (parallel host setup). */
export class ManifestStore {
  private chain: Promise<void> = Promise.resolve();
  constructor(
    readonly path: string,
    private current: Manifest,
  ) {}

  get value(): Readonly<Manifest> {
    return this.current;
  }

  update(change: (m: Manifest) => void): Promise<void> {
    const next = this.chain.then(async () => {
      change(this.current);
      await writeManifest(this.path, this.current);
    });
    this.chain = next.catch(() => {});
    return next;
  }
}
