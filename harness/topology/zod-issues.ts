import type { z } from 'zod';
import { formatPath, type IssuePath, type TopologyIssue } from './topology-error.js';

type ZodIssue = z.core.$ZodIssue;

/**
 * Turn zod issues into path-named, human-sized messages. Discriminated unions report their failing
 * branch directly; plain unions are flattened to the branch that got furthest (the longest path),
 * so a typo deep inside a host is not reported as "Invalid input" on the whole host.
 */
export function issuesFromZod(issues: readonly ZodIssue[], base: IssuePath = []): TopologyIssue[] {
  const out: TopologyIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0] ?? [];
      out.push(...issuesFromZod(best, path));
      continue;
    }
    out.push({ path: formatPath(path), message: messageOf(issue) });
  }
  return out;
}

function depth(issues: readonly ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

function messageOf(issue: ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_type':
      return issue.input === undefined ? `required (${issue.expected})` : issue.message;
    case 'invalid_key':
      return issue.issues.map((i) => i.message).join('; ') || issue.message;
    default:
      return issue.message;
  }
}
