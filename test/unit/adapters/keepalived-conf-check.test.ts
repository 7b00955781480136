import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepalivedAdapter } from '../../../harness/adapters/keepalived.js';
import { writeKeepalivedConf } from '../../../harness/adapters/keepalived-conf.js';
import type { VrrpInstanceSettings } from '../../../harness/topology/vrrp-settings.js';
import { fakeHost, inst } from './fixtures.js';

/**
 * `keepalived -t` on every rendering, no namespaces needed. Two quirks of -t (keepalived 2.2.7):
 * the interfaces must exist (a missing one gives exit 5 "Non-existent interface specified in
 * configuration", and `lo` is refused for VRRP), so we use a real non-loopback interface of this
 * machine; and the file must be a regular file: `-f /dev/stdin` prints "not a regular non-executable
 * file - skipping" and exits 0 without checking anything.
 */
function firstRealInterface(): string | undefined {
  try {
    return readdirSync('/sys/class/net').find((n) => n !== 'lo');
  } catch {
    return undefined;
  }
}

const keepalivedPresent = (await execa('keepalived', ['--version'], { reject: false })).exitCode === 0;
const ifname = firstRealInterface();

const SUPPORTED: Record<string, VrrpInstanceSettings[]> = {
  'v2 PASS': [inst({ vrid: 51, priority: 150, authPass: 's3cr3t', vips: ['10.0.0.254/24'] })],
  'v3 0.1 s, two VIPs': [
    inst({ vrid: 51, version: 3, advertIntervalS: 0.1, vips: ['10.0.0.254/24', '10.0.0.253/24'] }),
  ],
  'v3 unicast': [inst({ vrid: 51, version: 3, unicast: true, vips: ['10.0.0.254/24'] })],
  'v2 unicast': [inst({ vrid: 51, unicast: true, vips: ['10.0.0.254/24'] })],
  nopreempt: [inst({ vrid: 51, preempt: false, vips: ['10.0.0.254/24'] })],
  preempt_delay: [inst({ vrid: 51, preemptDelayS: 2.5, vips: ['10.0.0.254/24'] })],
  'owner, state MASTER': [inst({ vrid: 51, priority: 255, initialState: 'MASTER', vips: ['10.0.0.254/24'] })],
  'IPv6 v3': [inst({ vrid: 51, version: 3, vips: ['2001:db8::254/64'] })],
  'IPv6 v3 unicast': [inst({ vrid: 51, version: 3, unicast: true, vips: ['2001:db8::254/64'] })],
  'v4 + v6, mixed versions': [
    inst({ vrid: 51, vips: ['10.0.0.254/24'] }),
    inst({ name: 'VI_6', vrid: 51, version: 3, vips: ['2001:db8::254/64'] }),
  ],
  'GARP 1, no delay, refresh': [
    inst({ vrid: 51, vips: ['10.0.0.254/24'], garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 10 } }),
  ],
  'track script + interface': [
    inst({
      vrid: 51,
      vips: ['10.0.0.254/24'],
      trackScripts: [
        { name: 'chk_nginx', script: '{{nginxCheck}}', weight: -60, rise: 2, fall: 2, intervalS: 1, timeoutS: 1 },
      ],
      // Tracking its own interface is implicit (the renderer drops it); lo is a valid tracked interface.
      trackInterfaces: [ifname ?? 'eth0', 'lo'],
    }),
  ],
};

/** Settings our unsupported() rejects; keepalived -t must agree that they are not clean (non-zero exit). */
const UNSUPPORTED: Record<string, VrrpInstanceSettings[]> = {
  'v2 0.1 s (rounded, quirks Q7)': [inst({ vrid: 51, advertIntervalS: 0.1, vips: ['10.0.0.254/24'] })],
  'v3 0.015 s': [inst({ vrid: 51, version: 3, advertIntervalS: 0.015, vips: ['10.0.0.254/24'] })],
  'nopreempt + state MASTER': [inst({ vrid: 51, preempt: false, initialState: 'MASTER', vips: ['10.0.0.254/24'] })],
  'nopreempt + 255': [inst({ vrid: 51, preempt: false, priority: 255, vips: ['10.0.0.254/24'] })],
  'nopreempt + preempt_delay': [inst({ vrid: 51, preempt: false, preemptDelayS: 2, vips: ['10.0.0.254/24'] })],
};

describe.skipIf(!keepalivedPresent || ifname === undefined)('keepalived -t accepts every rendering', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vat-kt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function check(label: string, instances: VrrpInstanceSettings[]) {
    const hostDir = join(dir, label.replace(/[^a-z0-9]+/gi, '_'));
    const host = fakeHost(instances, { dir: hostDir, ifname: ifname!, nginxCheck: 'exec /usr/bin/true' });
    const conf = join(hostDir, 'keepalived.conf');
    await mkdir(hostDir, { recursive: true });
    await writeKeepalivedConf(host, conf);
    const r = await execa('keepalived', ['-t', '-f', conf], { reject: false });
    return { host, r };
  }

  for (const [label, instances] of Object.entries(SUPPORTED)) {
    it(`${label}: unsupported() is empty and keepalived -t exits 0`, async () => {
      const { host, r } = await check(label, instances);
      expect(keepalivedAdapter.unsupported(host)).toEqual([]);
      expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: expect.any(String) });
      // Any warning at all would mean keepalived rewrote something we rendered.
      expect(r.stderr.trim()).toBe('');
    });
  }

  for (const [label, instances] of Object.entries(UNSUPPORTED)) {
    it(`${label}: unsupported() reports it and keepalived -t complains`, async () => {
      const { host, r } = await check(label, instances);
      expect(keepalivedAdapter.unsupported(host)).not.toEqual([]);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).not.toBe('');
    });
  }
});
