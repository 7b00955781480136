/**
 * Minimal glob support for `include` (Node 20 has no fs.glob). Supports `*`, `?` and `[...]` / `[!...]`
 * within one path segment, like glob(3) without GLOB_BRACE: wildcards never match '/', and a leading '.'
 * must be matched explicitly.
 */

export function hasGlobChars(segment: string): boolean {
  return /[*?[]/.test(segment);
}

/** Joins a possibly relative POSIX path onto a directory and normalises '.' and '..' segments. */
export function joinPath(dir: string, path: string): string {
  const combined = path.startsWith('/') ? path : `${dir.replace(/\/+$/, '')}/${path}`;
  const out: string[] = [];
  for (const part of combined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  const joined = out.join('/');
  return combined.startsWith('/') ? `/${joined}` : joined;
}

export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return path.slice(0, i);
}

/** Regexp for one path segment pattern. */
export function segmentToRegExpSource(segment: string): string {
  let src = '';
  if (segment.startsWith('*') || segment.startsWith('?') || segment.startsWith('[')) src += '(?!\\.)';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        src += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      src += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else src += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return src;
}

/** Regexp matching a whole path against a whole-path glob pattern. */
export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('/').map(segmentToRegExpSource).join('/')}$`);
}
