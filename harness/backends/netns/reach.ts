import { runStatus } from '../../platform/run.js';

/**
 * Reachability without ping (iputils is not on every machine; node always is): a TCP connect from
 * inside the namespace. A refusal (RST) proves the address answered ARP/ND and IP just like an echo
 * reply would; a timeout or EHOSTUNREACH means unreachable.
 */
const SCRIPT = `
const [addr, port, ms] = process.argv.slice(1);
const s = require('net').connect({ host: addr, port: Number(port) });
setTimeout(() => process.exit(1), Number(ms));
s.on('connect', () => process.exit(0));
s.on('error', (e) => process.exit(e.code === 'ECONNREFUSED' ? 0 : 1));
`;

export async function canReach(
  netns: string,
  address: string,
  opts: { timeoutMs?: number; port?: number } = {},
): Promise<boolean> {
  const r = await runStatus(
    process.execPath,
    ['-e', SCRIPT, address, String(opts.port ?? 9), String(opts.timeoutMs ?? 2000)],
    {
      netns,
    },
  );
  return r.exitCode === 0;
}
