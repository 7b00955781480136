import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import type { AdvertEvent } from '../../../harness/observers/packet-events.js';
import { labPerFile, vrrpdBuilt } from './wire-lab.js';

/**
 * `vrrpd -t` and start-up agree (issue 9): what start-up rejects, -t rejects with FILE:LINE:COL, and what -t
 * accepts starts. Each configuration runs through both on a real namespace.
 */

const lab = labPerFile({
  switches: ['sw'],
  hosts: {
    r1: { links: [{ switch: 'sw', addresses: ['10.77.0.11/24', 'fd00:77::11/64'] }] },
    // Only answers neighbour solicitations for the unicast peer address, so unicast adverts leave r1.
    r2: { links: [{ switch: 'sw', addresses: ['fd00:77::12/64'] }] },
  },
});

async function configTest(conf: string): Promise<{ file: string; exitCode: number; stderr: string }> {
  const file = join(lab().host('r1').dir, `t-${Math.random().toString(36).slice(2)}.conf`);
  await writeFile(file, conf);
  const r = await execa(process.execPath, [vrrpdCliPath(), '-t', '-f', file], { reject: false });
  return { file, exitCode: r.exitCode ?? -1, stderr: r.stderr };
}

/** Start-up in the foreground: the exit code and output of a daemon that refuses to run (killed after 8 s otherwise). */
async function startUp(file: string): Promise<{ exitCode: number | undefined; output: string }> {
  const dir = lab().host('r1').dir;
  const r = await execa(
    'ip',
    [
      'netns',
      'exec',
      lab().host('r1').netns,
      process.execPath,
      vrrpdCliPath(),
      '-n',
      '-f',
      file,
      '--control-socket',
      join(dir, 's.sock'),
      '-p',
      join(dir, 's.pid'),
    ],
    { reject: false, timeout: 8_000, all: true },
  );
  return { exitCode: r.timedOut ? undefined : r.exitCode, output: r.all ?? '' };
}

const v4 = (body: string) => `vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority 100
${body}
  virtual_ipaddress {
    10.77.0.254/24
  }
}
`;

describe.skipIf(!vrrpdBuilt)('vrrpd -t agrees with start-up', () => {
  it.each([
    [
      'v3 advert_int 40.955 (rounds to 4096 cs)',
      v4('  version 3\n  advert_int 40.955'),
      6,
      'advert_int',
      /advert_int 40\.955s: VRRPv3 advertisement interval is out of range \[0\.01, 40\.95\]/,
    ],
    [
      'auth_type AH',
      v4('  version 2\n  authentication {\n    auth_type AH\n    auth_pass secret\n  }'),
      7,
      'auth_type',
      /auth_type AH \(IPsec AH\) is not implemented/,
    ],
  ])('%s: rejected by -t at FILE:LINE:COL and at start-up', async (_name, conf, line, keyword, message) => {
    const t = await configTest(conf);
    expect(t.exitCode).toBe(1);
    const where = new RegExp(`^${t.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+: error: .*`, 'm');
    expect(t.stderr).toMatch(where);
    expect(t.stderr).toMatch(message);
    expect(t.stderr).toContain(keyword);
    const s = await startUp(t.file);
    expect(s.exitCode).not.toBe(0);
    expect(s.exitCode).not.toBeUndefined();
    expect(s.output).toMatch(message);
  });

  it('IPv6 with a global unicast_src_ip: -t accepts, and the daemon runs and advertises from that address', async () => {
    const conf = `vrrp_instance VI_6 {
  interface eth0
  virtual_router_id 61
  priority 100
  advert_int 0.2
  unicast_src_ip fd00:77::11
  unicast_peer {
    fd00:77::12
  }
  virtual_ipaddress {
    fd00:77::254/64
  }
}
`;
    const t = await configTest(conf);
    expect(t).toMatchObject({ exitCode: 0, stderr: '' });
    const cap = await lab().capture('sw');
    await lab().start('r1', 'vrrpd', conf);
    await lab().waitState('r1', 'VI_6', 'MASTER');
    await lab().holdHolders('fd00:77::254', ['r1'], 1_000);
    await lab().stop('r1');
    const events = await lab().events(cap);
    const adverts = events.filter((e): e is AdvertEvent => e.kind === 'advert' && e.priority === 100);
    expect(adverts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(adverts.map((a) => `${a.src} > ${a.dst} hl ${a.ttl}`))).toEqual(
      new Set(['fd00:77::11 > fd00:77::12 hl 255']),
    );
    expect(adverts.every((a) => a.valid || a.errors.every((e) => e === 'ipv6-first-not-link-local'))).toBe(true);
    const nas = events.filter((e) => e.kind === 'na' && e.target === 'fd00:77::254');
    expect(nas.length).toBeGreaterThan(0);
    expect(nas.every((e) => e.kind === 'na' && e.src.startsWith('fe80:'))).toBe(true);
  });
});
