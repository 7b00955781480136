import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { vrrpdCliPath } from '../../../harness/adapters/vrrpd.js';
import { vrrpdBuilt } from './hand-lab.js';

const run = promisify(execFile);

/**
 * `unicast_peer` without `interface`: keepalived.conf(5) says a unicast instance may omit the interface,
 * but keepalived 2.2.7 checks for one before it marks the instance unicast and refuses the file. vrrpd
 * does what keepalived does: the same file is refused by both, vrrpd naming the line.
 */
const conf = `vrrp_instance VI_1 {
  virtual_router_id 61
  priority 100
  unicast_src_ip 10.99.0.12
  unicast_peer {
    10.99.0.11
  }
  virtual_ipaddress {
    10.99.0.250/24 dev lo
  }
}
`;

async function exitOf(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const r = await run(cmd, args);
    return { code: 0, output: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, output: err.stdout + err.stderr };
  }
}

describe.skipIf(!vrrpdBuilt)('unicast_peer without interface', () => {
  it('keepalived 2.2.7 and vrrpd both refuse the file; vrrpd names the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kw-unicast-'));
    const file = join(dir, 'keepalived.conf');
    await writeFile(file, conf);
    const keepalived = await exitOf('keepalived', ['-t', '-l', '-f', file]);
    expect(keepalived.code).toBe(5);
    expect(keepalived.output).toContain('(VI_1) Unknown interface!');
    const vrrpd = await exitOf(process.execPath, [vrrpdCliPath(), '-t', '-f', file]);
    expect(vrrpd.code).toBe(1);
    expect(vrrpd.output).toContain(`${file}:1:1: error: (VI_1) unknown interface: no 'interface' configured`);
  });
});
