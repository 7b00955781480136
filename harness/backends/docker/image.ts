import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { packageRoot } from '../../../src/util/package-info.js';
import { LABEL_OWNER, LABEL_RUN_DIR, LABEL_RUN_ID } from './names.js';
import { buildImage } from './testcontainers.js';

/**
 * The image every container of a run starts from (docker/lab.Dockerfile): an empty rootfs whose bin/sbin/lib/lib64 point into
 * usr/, where the host's /usr is bind-mounted read-only. No registry is needed, it builds in ~0.2 s, and
 * the containers run exactly the binaries the netns backend runs (keepalived, FRR, nginx, node, ip).
 */

/** Users the daemons switch to or chown to (FRR drops to frr:frr; tcpdump, nginx, nobody for completeness). */
const USERS = ['root', 'nobody', 'frr', 'frrvty', 'tcpdump', 'www-data'];
const GROUPS = ['root', 'nogroup', 'nobody', 'frr', 'frrvty', 'tcpdump', 'www-data'];

/**
 * The host's own lines for those users, so uids match between the container and the run directory the
 * host also reads; a fallback line when the host has no such user (e.g. FRR not installed).
 */
async function pickLines(path: string, names: string[], fallback: (n: string) => string | undefined): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const lines = text.split('\n');
  const out: string[] = [];
  for (const n of names) {
    const line = lines.find((l) => l.startsWith(`${n}:`)) ?? fallback(n);
    if (line) out.push(line);
  }
  return `${out.join('\n')}\n`;
}

/** Write the rootfs into `dir`. */
export async function writeRootfs(dir: string): Promise<void> {
  for (const d of ['etc', 'tmp', 'run', 'var/tmp', 'var/run', 'var/log', 'proc', 'sys', 'dev', 'usr', 'root']) {
    await mkdir(join(dir, d), { recursive: true });
  }
  for (const l of ['bin', 'sbin', 'lib', 'lib64']) await symlink(`usr/${l}`, join(dir, l));
  const passwd = await pickLines('/etc/passwd', USERS, (n) =>
    n === 'root' ? 'root:x:0:0:root:/root:/bin/sh' : n === 'nobody' ? 'nobody:x:65534:65534::/:/bin/false' : undefined,
  );
  const group = await pickLines('/etc/group', GROUPS, (n) =>
    n === 'root' ? 'root:x:0:' : n === 'nogroup' ? 'nogroup:x:65534:' : undefined,
  );
  await writeFile(join(dir, 'etc', 'passwd'), passwd);
  await writeFile(join(dir, 'etc', 'group'), group);
  // glibc resolves users from files without this too, but some tools warn when it is missing.
  await writeFile(join(dir, 'etc', 'nsswitch.conf'), 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n');
}

/** docker/lab.Dockerfile: the recipe of the run's image, shipped with the project. */
export function labDockerfile(): string {
  return join(packageRoot(), 'docker', 'lab.Dockerfile');
}

/**
 * Build the run's image from docker/lab.Dockerfile (FROM scratch + the generated rootfs.tar, no registry)
 * with testcontainers; the run's labels come in as build args. Returns its reference.
 */
export async function buildBaseImage(docker: Docker, ref: string, labels: Record<string, string>): Promise<string> {
  const ctx = await mkdtemp(join(tmpdir(), 'vrrp-lab-image-'));
  try {
    await mkdir(join(ctx, 'rootfs'));
    await writeRootfs(join(ctx, 'rootfs'));
    await execa('tar', ['-C', join(ctx, 'rootfs'), '-cf', join(ctx, 'rootfs.tar'), '.']);
    await rm(join(ctx, 'rootfs'), { recursive: true });
    await copyFile(labDockerfile(), join(ctx, 'Dockerfile'));
    await buildImage(docker, {
      context: ctx,
      dockerfile: 'Dockerfile',
      ref,
      buildArgs: {
        RUN_ID: labels[LABEL_RUN_ID] ?? '',
        RUN_DIR: labels[LABEL_RUN_DIR] ?? '',
        OWNER: labels[LABEL_OWNER] ?? '',
      },
    });
    return ref;
  } finally {
    await rm(ctx, { recursive: true, force: true });
  }
}
