import { describe, expect, it } from 'vitest';
import { VrrpLab } from '../../../harness/api/vrrp-lab.js';
import { imageRef, LABEL_RUN_ID } from '../../../harness/backends/docker/names.js';
import { engine, reason, skip } from './helpers.js';

const VIP = '10.99.0.254';

/**
 * The library API on the docker backend: containers started by testcontainers from docker/lab.Dockerfile, keepalived elected inside
 * them, zx's $ running inside a container (its mounts, not the host's), a crash moving the VIP.
 */
describe.skipIf(skip)(`VrrpLab on the docker backend${reason ? ` (${reason})` : ''}`, () => {
  it('builds the run image from docker/lab.Dockerfile; $ runs in the container; crash → failover', async () => {
    await using lab = await new VrrpLab('three-hosts.yaml')
      .withBackend('docker')
      .withImplementation('keepalived')
      .withOverrides({ vrrp: { version: 3, advertIntervalS: 0.2 } })
      .start();
    const docker = await engine();
    const history = await docker.getImage(imageRef(lab.runId)).history();
    expect(history.map((h: { CreatedBy: string }) => h.CreatedBy).join('\n')).toMatch(/ADD file:\S+ in \//);

    // Created through testcontainers (its labels), and labelled with the run for `vrrp-lab clean`.
    const containers = await docker.listContainers({ filters: { label: [`${LABEL_RUN_ID}=${lab.runId}`] } });
    expect(containers).toHaveLength(4);
    for (const c of containers) expect(c.Labels['org.testcontainers']).toBe('true');

    await lab.waitForHolder(VIP, 'r1', { timeoutMs: 20_000 });
    // The container's root is the image's empty rootfs (no /home, /boot), with the host's /usr mounted.
    const root = (await lab.host('r1').$`ls /`).stdout.split('\n');
    expect(root).toEqual(expect.arrayContaining(['usr', 'etc', 'proc']));
    expect(root).not.toContain('home');
    expect((await lab.host('r1').$`ip -o addr show dev eth0`).stdout).toContain(`${VIP}/`);

    await lab.host('r1').crash();
    await lab.waitForHolder(VIP, 'r2', { timeoutMs: 20_000, exclusive: false });
    expect(lab.holders(VIP)).toContain('r2');
  });
});
