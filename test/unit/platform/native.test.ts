import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/platform/native.js';

describe('packageRoot', () => {
  it('finds the directory holding package.json from source (vitest) and would from dist/', () => {
    const root = packageRoot();
    expect(existsSync(join(root, 'package.json'))).toBe(true);
    expect(packageRoot(join(root, 'dist', 'src', 'platform'))).toBe(root);
  });

  it('walks up from nested directories', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vpt-root-'));
    writeFileSync(join(tmp, 'package.json'), '{}');
    mkdirSync(join(tmp, 'a', 'b'), { recursive: true });
    expect(packageRoot(join(tmp, 'a', 'b'))).toBe(tmp);
  });
});
