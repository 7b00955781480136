import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../harness/lab/index.js';
import { startKeepalived, startVrrpd, stop, underBoth, vrrpdBuilt } from './hand-lab.js';

/**
 * global_defs `umask`: the daemon's file creation mask, read from /proc/PID/status. keepalived 2.2.7 uses
 * 0177 when none is configured (its man page says 022; docs/quirks.md Q58); a number or I{R,W,X}{USR,GRP,OTH}
 * bits set it. The same files under keepalived 2.2.7 and vrrpd.
 */
const conf = (umask: string) => `
${umask ? `global_defs {\n  umask ${umask}\n}` : ''}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 101
  priority 100
  version 3
  advert_int 1
  virtual_ipaddress {
    10.99.0.230/24
  }
}
`;

async function umaskOf(lab: Lab, impl: 'keepalived' | 'vrrpd', umask: string): Promise<string> {
  const d = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', conf(umask)) : await startKeepalived(lab, 'r1', conf(umask));
  try {
    const status = await readFile(`/proc/${d.pid}/status`, 'utf8');
    return /^Umask:\s*(\d+)/m.exec(status)?.[1] ?? '?';
  } finally {
    await stop(d);
  }
}

describe.skipIf(!vrrpdBuilt)('umask', () => {
  const r = underBoth('kw-umask', ['r1'], async (lab, impl) => ({
    byDefault: await umaskOf(lab, impl, ''),
    octal: await umaskOf(lab, impl, '022'),
    bits: await umaskOf(lab, impl, 'IWGRP|IWOTH | IXOTH'),
  }));

  it('keepalived 2.2.7 (the reference): 0177 by default, else as configured', () => {
    expect(r.keepalived()).toEqual({ byDefault: '0177', octal: '0022', bits: '0023' });
  });

  it('vrrpd: the same', () => {
    expect(r.vrrpd()).toEqual(r.keepalived());
  });
});
