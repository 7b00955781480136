import { readdirSync, readFileSync, statSync } from 'node:fs';
import { hasGlobChars, joinPath, segmentToRegExpSource } from './glob.js';
import type { ConfigSource } from './source.js';

/**
 * ConfigSource backed by node:fs. Globs are expanded segment by segment with readdirSync, so only
 * directories named by the pattern are listed.
 */
export const nodeSource: ConfigSource = {
  read(path: string): string {
    return readFileSync(path, 'utf8');
  },
  glob(pattern: string, relativeTo: string): string[] {
    const full = joinPath(relativeTo, pattern);
    const absolute = full.startsWith('/');
    const segments = full.split('/').filter((s) => s !== '');
    let candidates = [absolute ? '/' : '.'];
    for (const [index, segment] of segments.entries()) {
      const last = index === segments.length - 1;
      const next: string[] = [];
      for (const base of candidates) {
        if (!hasGlobChars(segment)) {
          next.push(joinPath(base, segment));
          continue;
        }
        const re = new RegExp(`^${segmentToRegExpSource(segment)}$`);
        let names: string[];
        try {
          names = readdirSync(base);
        } catch {
          continue;
        }
        for (const name of names.sort()) if (re.test(name)) next.push(joinPath(base, name));
      }
      candidates = last ? next : next.filter(isDirectory);
    }
    // A literal (wildcard-free) path is returned only if it exists, like glob(3) with GLOB_NOCHECK off.
    return candidates.filter(isFile).sort();
  },
};

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
