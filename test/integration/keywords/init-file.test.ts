import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../harness/lab/index.js';
import { type Daemon, scratch, startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * track_file `init_file`: at start keepalived 2.2.7 writes the value to a missing file, and with
 * `overwrite` to an existing one too. The same file under both daemons leaves the same contents; under
 * vrrpd the priority then reflects them (100 + 3 × 10 + 2 × 10).
 */
const conf = (dir: string) => `
track_file fresh {
  file ${dir}/fresh
  weight 10
  init_file 3
}
track_file kept {
  file ${dir}/kept
  weight 10
  init_file 9
}
track_file forced {
  file ${dir}/forced
  weight 10
  init_file 2 overwrite
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 95
  priority 100
  version 3
  advert_int 0.2
  track_file {
    fresh
    kept
    forced
  }
  virtual_ipaddress {
    10.99.0.225/24
  }
}
`;

interface Observed {
  files: string[];
  priority?: number;
}

async function scenario(lab: Lab, impl: 'keepalived' | 'vrrpd'): Promise<Observed> {
  const dir = await scratch(lab, 'r1', `files-${impl}`);
  await writeFile(join(dir, 'kept'), '0\n');
  await writeFile(join(dir, 'forced'), '0\n');
  let dut: Daemon | undefined;
  try {
    const read = (n: string) => readFile(join(dir, n), 'utf8').catch(() => '(missing)');
    let priority: number | undefined;
    if (impl === 'vrrpd') {
      const v = await startVrrpd(lab, 'r1', conf(dir), `d-${impl}`);
      dut = v;
      await until('priority from the files', async () => (await v.instance('VI_1')).effectivePriority === 150);
      priority = (await v.instance('VI_1')).effectivePriority;
    } else {
      dut = await startKeepalived(lab, 'r1', conf(dir), `d-${impl}`);
      await until('fresh created', async () => (await read('fresh')) !== '(missing)');
    }
    const files = await Promise.all(['fresh', 'kept', 'forced'].map(read));
    return priority === undefined ? { files } : { files, priority };
  } finally {
    await stop(dut);
  }
}

describe.skipIf(!vrrpdBuilt)('track_file init_file', () => {
  const results = underBoth('kw-initfile', ['r1'], scenario);

  it('keepalived (the reference): creates the missing file, keeps the existing one, overwrites with overwrite', () => {
    expect(results.keepalived().files).toEqual(['3\n', '0\n', '2\n']);
  });

  it('vrrpd leaves the same contents, and tracks them', () => {
    expect(results.vrrpd().files).toEqual(results.keepalived().files);
    expect(results.vrrpd().priority).toBe(150);
  });
});
