import { access, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';

/**
 * Compile the harness (CLI + lab API) to JavaScript once per test process, for tests that must run
 * it in a separate, killable node process. The output sits inside the project (node_modules/.cache)
 * so its bare imports (execa, zod, commander) resolve from the project's node_modules.
 */
let compiled: Promise<string> | undefined;

/** Remove the compiled output (call from afterAll of each file that used it). */
export async function removeCompiledHarness(): Promise<void> {
  if (!compiled) return;
  const dir = await compiled.catch(() => undefined);
  compiled = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
}

export function compiledHarness(): Promise<string> {
  compiled ??= (async () => {
    const out = resolve('node_modules/.cache', `vrrp-lab-it-${process.pid}`);
    const r = await execa(
      'npx',
      [
        'tsc',
        ...['--outDir', out, '--rootDir', '.', '--target', 'ES2022', '--module', 'NodeNext'],
        ...['--moduleResolution', 'NodeNext', '--lib', 'ES2023,esnext.disposable', '--types', 'node'],
        ...['--skipLibCheck', '--esModuleInterop', '--resolveJsonModule', '--noEmitOnError', 'false'],
        'harness/cli/vrrp-lab.ts',
        'harness/lab/index.ts',
      ],
      { reject: false },
    );
    const entry = join(out, 'harness/cli/vrrp-lab.js');
    // Type errors elsewhere in the tree (other people's work in progress) still emit JavaScript.
    await access(entry).catch(() => {
      throw new Error(`tsc produced no ${entry}:\n${r.stdout}\n${r.stderr}`);
    });
    return out;
  })();
  return compiled;
}
