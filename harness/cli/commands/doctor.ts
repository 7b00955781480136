import type { Command } from 'commander';
import { knownAdapters } from '../../adapters/registry.js';
import { out } from '../cli-context.js';
import { aptInstallLine, findExecutable, isRoot, PREREQUISITES } from '../prerequisites.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check prerequisites (root, iproute2, nftables, tcpdump, keepalived, FRR, nginx, curl)')
    .action(async () => {
      const found = await Promise.all(PREREQUISITES.map((p) => findExecutable(p.command)));
      const root = isRoot();
      out(`${root ? 'ok     ' : 'MISSING'} root`);
      PREREQUISITES.forEach((p, i) => {
        const at = found[i];
        out(`${at ? 'ok     ' : 'MISSING'} ${p.name.padEnd(11)} ${at ?? `(${p.neededFor})`}`);
      });
      out(`implementations: ${knownAdapters().join(', ')} (or --impl PATH: an adapter file)`);
      const missing = PREREQUISITES.filter((_, i) => found[i] === undefined);
      if (missing.length > 0) out(aptInstallLine(missing));
      if (!root) out('run vrrp-lab as root (sudo)');
      if (missing.length > 0 || !root) process.exitCode = 1;
    });
}
