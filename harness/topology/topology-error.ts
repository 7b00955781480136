import { VrrpLabError } from '../../src/util/errors.js';

export type IssuePath = readonly (string | number)[];

export interface TopologyIssue {
  /** Dotted path inside the document: `hosts.r1.links[0].address`. */
  path: string;
  message: string;
  /** 1-based position in the YAML file, when known. */
  line?: number;
  column?: number;
}

/** `['hosts','r1','links',0,'address']` → `hosts.r1.links[0].address`. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out || '(root)';
}

export function formatIssue(file: string, issue: TopologyIssue): string {
  const pos = issue.line === undefined ? '' : `:${issue.line}:${issue.column ?? 1}`;
  return `${file}${pos}: ${issue.path}: ${issue.message}`;
}

/** A topology file or object is invalid; one line per problem, each naming the file and the path. */
export class TopologyError extends VrrpLabError {
  override readonly name = 'TopologyError';
  constructor(
    readonly file: string,
    readonly issues: readonly TopologyIssue[],
  ) {
    super(issues.map((i) => formatIssue(file, i)).join('\n') || `${file}: invalid topology`);
  }
}
